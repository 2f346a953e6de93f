import asyncio
import contextlib
from collections.abc import AsyncIterator


class Worker:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        pass


@contextlib.asynccontextmanager
async def session() -> AsyncIterator[None]:
    await Worker().start()
    yield
