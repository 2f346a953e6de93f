"""A snapshot, an awaited write, then ``clear()``, with no lock: whatever is appended
while the write awaits is cleared unwritten. The batch is now taken (and the buffer
emptied) before the first await, and a failed batch goes back in front."""

import asyncio


class Sink:
    async def write(self, batch: list[str]) -> None:
        await asyncio.sleep(0)


class Outbox:
    def __init__(self, sink: Sink, capacity: int = 100) -> None:
        self.sink = sink
        self.capacity = capacity
        self.pending: list[str] = []

    def add(self, message: str) -> None:
        self.pending.append(message)

    async def flush(self) -> None:
        if not self.pending:
            return
        batch = list(self.pending)
        await self.sink.write(batch)
        self.pending.clear()
