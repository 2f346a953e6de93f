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

    def subscribe(self, callback: Callback) -> None:
        self.callbacks.append(callback)

    def emit(self, topic: str) -> None:
        loop = asyncio.get_running_loop()
        for handler in self.handlers:
            loop.create_task(handler(topic))


bus = Bus()


class Retrier:
    def __init__(self, backoff: float) -> None:
        self.backoff = backoff

    def register(self) -> None:
        bus.subscribe(self.on_failed)

    def on_failed(self, attempt: int) -> None:
        if attempt > 3:
            bus.emit("abandoned")
            return
        asyncio.create_task(self._retry_later(attempt))

    async def _retry_later(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff * attempt)
