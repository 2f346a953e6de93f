"""Rebound to a fresh deque like the declared one (``self.x = deque(maxlen=...)``)
after the awaited write: what was appended meanwhile is lost with the old deque."""

import asyncio
import collections


class Sink:
    async def write(self, batch: list[str]) -> None:
        await asyncio.sleep(0)


class Outbox:
    def __init__(self, sink: Sink, capacity: int = 100) -> None:
        self.sink = sink
        self.capacity = capacity
        self.pending: collections.deque[str] = collections.deque(maxlen=self.capacity)

    def add(self, message: str) -> None:
        self.pending.append(message)

    async def flush(self) -> None:
        batch = list(self.pending)
        if batch:
            await self.sink.write(batch)
        self.pending = collections.deque(maxlen=self.capacity)
