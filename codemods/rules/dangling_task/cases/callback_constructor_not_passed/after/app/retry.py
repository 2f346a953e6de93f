"""A synchronous method reached only as a callback spawns: it cannot take a
parameter (its caller is the bus), so the TaskGroup comes through the constructor."""

import asyncio
from collections.abc import Callable

Callback = Callable[[int], None]


class Bus:
    def __init__(self) -> None:
        self.callbacks: list[Callback] = []

    def subscribe(self, callback: Callback) -> None:
        self.callbacks.append(callback)


bus = Bus()


class Retrier:
    def __init__(self, backoff: float) -> None:
        self.backoff = backoff
        self._background_tasks: set[asyncio.Task[None]] = set()

    def register(self) -> None:
        bus.subscribe(self.on_failed)

    def on_failed(self, attempt: int) -> None:
        task = asyncio.create_task(self._retry_later(attempt))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    async def _retry_later(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff * attempt)
