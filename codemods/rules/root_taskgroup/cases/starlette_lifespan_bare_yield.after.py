import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette


class Cache:
    def __init__(self, tg: asyncio.TaskGroup | None = None) -> None:
        self.tg = tg

    async def close(self) -> None:
        pass


@contextlib.asynccontextmanager
async def lifespan(app: object) -> AsyncIterator[None]:
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                cache = Cache(tg=tg)

                yield

                await cache.close()
            finally:
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise


app = Starlette(lifespan=lifespan)
