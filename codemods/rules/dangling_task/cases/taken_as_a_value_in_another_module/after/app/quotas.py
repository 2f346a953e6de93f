import asyncio
from typing import Any

_background_tasks: set[asyncio.Task[Any]] = set()


class Quota:
    def __init__(self) -> None:
        self.tokens = 10
        self._background_tasks: set[asyncio.Task[None]] = set()

    async def refill(self) -> None:
        while True:
            await asyncio.sleep(1)
            self.tokens = 10

    async def on_reset(self, reason: str) -> None:
        task = asyncio.create_task(self.refill())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)


_quota: Quota | None = None


async def get_quota() -> Quota:
    global _quota
    if _quota is None:
        _quota = Quota()
        task = asyncio.create_task(_quota.refill())
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    return _quota


async def warm_up(tg: asyncio.TaskGroup | None = None) -> None:
    if tg is None:
        task = asyncio.create_task(asyncio.sleep(0))
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(asyncio.sleep(0))
