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

    def emit(self, topic: str, tg: asyncio.TaskGroup | None = None) -> None:
        loop = asyncio.get_running_loop()
        for handler in self.handlers:
            if tg is None:
                task = asyncio.create_task(handler(topic))
                self._background_tasks.add(task)
                task.add_done_callback(self._background_tasks.discard)
            else:
                tg.create_task(handler(topic))


bus = Bus()


class Retrier:
    def __init__(self, backoff: float, tg: asyncio.TaskGroup | None = None) -> None:
        self.backoff = backoff
        self.tg = tg
        self._background_tasks: set[asyncio.Task[None]] = set()

    def register(self) -> None:
        bus.subscribe(self.on_failed)

    def on_failed(self, attempt: int) -> None:
        if attempt > 3:
            bus.emit("abandoned", tg=self.tg)
            return
        if self.tg is None:
            task = asyncio.create_task(self._retry_later(attempt))
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            self.tg.create_task(self._retry_later(attempt))

    async def _retry_later(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff * attempt)
