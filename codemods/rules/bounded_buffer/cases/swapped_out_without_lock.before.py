"""The batch swapped out (``batch, self.x = self.x, []``) before the write, with no
lock: nothing appended meanwhile is lost, but a failed write loses its batch and the
list is unbounded. The swap stays first; the write is guarded."""

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
        batch, self.pending = self.pending, []

        if batch:
            await self.sink.write(batch)
