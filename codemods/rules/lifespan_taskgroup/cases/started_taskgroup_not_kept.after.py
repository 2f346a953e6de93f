"""TG002 converts `Dispatcher.start()`; `_deliver()` calls `bus.emit()`, which awaits
its handlers and takes no TaskGroup: `start()` keeps nothing as `self.tg` (no dead
plumbing), and TG005 passes nothing."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

Handler = Callable[..., Coroutine[Any, Any, None]]


class EventBus:
    def __init__(self) -> None:
        self.handlers: list[Handler] = []

    async def emit(self, topic: str) -> None:
        for handler in self.handlers:
            await handler(topic)


bus = EventBus()


class Dispatcher:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        """Start the worker."""
        spawn = asyncio.create_task if tg is None else tg.create_task
        self._workers.append(spawn(self._work()))

    async def _work(self) -> None:
        while True:
            await self._deliver(await self.queue.get())

    async def _deliver(self, topic: str) -> None:
        await bus.emit(topic)


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        dispatcher = Dispatcher()
        await dispatcher.start(tg=tg)
