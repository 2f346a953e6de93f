"""The buffer itself is written and cleared inside a ``try`` that logs a failed
write: what is appended while the write awaits is cleared unwritten. The rewrite
stays inside the ``try``; a failed batch is back in the buffer before the ``except``
runs."""

import asyncio
import logging

logger = logging.getLogger(__name__)


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
        try:
            await self.sink.write(self.pending)
            self.pending.clear()
        except OSError:
            logger.warning("flush failed; keeping %d messages", len(self.pending))
