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
    cache = Cache()

    yield

    await cache.close()


app = Starlette(lifespan=lifespan)
