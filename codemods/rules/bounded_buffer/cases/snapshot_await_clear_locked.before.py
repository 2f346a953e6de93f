"""Snapshot, awaited write, ``clear()`` under a lock the appends also take: they wait
for the whole write, and the list grows without bound while storage is down. The
batch is taken before the first await; the lock still orders the flushes."""

import asyncio


class Sink:
    async def write(self, batch: list[str]) -> None:
        await asyncio.sleep(0)


class Outbox:
    def __init__(self, sink: Sink, capacity: int = 100) -> None:
        self.sink = sink
        self.capacity = capacity
        self._lock = asyncio.Lock()
        self.pending: list[str] = []

    async def add(self, message: str) -> None:
        async with self._lock:
            self.pending.append(message)

    async def flush(self) -> None:
        async with self._lock:
            if not self.pending:
                return
            batch = self.pending.copy()
            await self.sink.write(batch)
            self.pending.clear()
