import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


class Stream:
    async def aclose(self) -> None:
        pass


async def get_monitor(
    stream: Stream, tg: asyncio.TaskGroup | None = None
) -> None:
    pass


def close_monitor() -> None:
    pass


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    stream = Stream()
    await get_monitor(stream)
    try:
        yield
    finally:
        # Both stop the root's work: the monitor's module
        # started it, and it reads the stream until closed.
        close_monitor()
        await stream.aclose()


app = FastAPI(lifespan=lifespan)
