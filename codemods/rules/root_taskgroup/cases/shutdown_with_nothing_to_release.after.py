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
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                stream = Stream()
                await get_monitor(stream, tg=tg)
                try:
                    yield
                finally:
                    # Both stop the root's work: the monitor's module
                    # started it, and it reads the stream until closed.
                    close_monitor()
                    await stream.aclose()
            finally:
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise


app = FastAPI(lifespan=lifespan)
