"""A synchronous method reached only as a callback spawns: it cannot take a
parameter (its caller is the bus), so the TaskGroup comes through the constructor,
and the callback passes `self.tg` on to `bus.emit()`, which gains `tg` (TG005)."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

Callback = Callable[[int], None]
Handler = Callable[[str], Coroutine[Any, Any, None]]


class Bus:
    def __init__(self) -> None:
        self.callbacks: list[Callback] = []
        self.handlers: list[Handler] = []
        self._background_tasks: set[asyncio.Task[Any]] = set()

    def subscribe(self, callback: Callback) -> None:
        self.callbacks.append(callback)

    def emit(self, topic: str) -> None:
        loop = asyncio.get_running_loop()
        for handler in self.handlers:
            task = loop.create_task(handler(topic))
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)


bus = Bus()


class Retrier:
    def __init__(self, backoff: float) -> None:
        self.backoff = backoff
        self._background_tasks: set[asyncio.Task[None]] = set()

    def register(self) -> None:
        bus.subscribe(self.on_failed)

    def on_failed(self, attempt: int) -> None:
        if attempt > 3:
            bus.emit("abandoned")
            return
        task = asyncio.create_task(self._retry_later(attempt))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    async def _retry_later(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff * attempt)
