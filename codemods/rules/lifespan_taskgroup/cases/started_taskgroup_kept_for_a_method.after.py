"""TG002 converts `Dispatcher.start()`; `_deliver()`, another method of the class,
calls `bus.emit()`, which TG003 gives a `tg` parameter: `start()` keeps the TaskGroup
it is given as `self.tg` (declared None in `__init__`), and TG005 passes `self.tg` on.
None (no `start(tg=...)` yet) is passed as it is: `emit()`'s fallback handles it."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

Handler = Callable[..., Coroutine[Any, Any, None]]


class EventBus:
    def __init__(self) -> None:
        self.handlers: list[Handler] = []
        self._background_tasks: set[asyncio.Task[Any]] = set()

    async def emit(self, topic: str, tg: asyncio.TaskGroup | None = None) -> None:
        for handler in self.handlers:
            if tg is None:
                task = asyncio.create_task(handler(topic))
                self._background_tasks.add(task)
                task.add_done_callback(self._background_tasks.discard)
            else:
                tg.create_task(handler(topic))


bus = EventBus()


class Dispatcher:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self.tg: asyncio.TaskGroup | None = None

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        """Start the worker."""
        self.tg = tg
        spawn = asyncio.create_task if tg is None else tg.create_task
        self._workers.append(spawn(self._work()))

    async def _work(self) -> None:
        while True:
            await self._deliver(await self.queue.get())

    async def _deliver(self, topic: str) -> None:
        await bus.emit(topic, tg=self.tg)


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        dispatcher = Dispatcher()
        await dispatcher.start(tg=tg)
