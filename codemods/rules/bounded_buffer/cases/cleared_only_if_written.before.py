"""The buffer is cleared only when the write says so, inside an ``if``: not a flush
shape TG004 knows, so it is reported (with what it saw), not rewritten."""

import asyncio


class Sink:
    async def write(self, batch: list[str]) -> bool:
        await asyncio.sleep(0)
        return True


class Outbox:
    def __init__(self, sink: Sink, capacity: int = 100) -> None:
        self.sink = sink
        self.capacity = capacity
        self.pending: list[str] = []

    def add(self, message: str) -> None:
        self.pending.append(message)

    async def flush(self) -> None:
        batch = list(self.pending)
        if await self.sink.write(batch):
            self.pending.clear()
