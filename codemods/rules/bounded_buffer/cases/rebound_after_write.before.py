"""The buffer itself is written, then rebound to a new list (``self.buf = []``):
samples observed while the export awaits are thrown away with the old list. The
batch is now taken before the export, which writes it."""

import asyncio
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sample:
    name: str
    value: float


class Exporter:
    async def export(self, samples: list[Sample]) -> None:
        await asyncio.sleep(0)


class Reporter:
    def __init__(self, exporter: Exporter, max_buffered: int = 1000) -> None:
        self.exporter = exporter
        self.max_buffered = max_buffered
        self._lock = asyncio.Lock()
        self.buf: list[Sample] = []

    def add(self, sample: Sample) -> None:
        self.buf.append(sample)

    async def flush(self) -> None:
        async with self._lock:
            if not self.buf:
                return
            await self.exporter.export(self.buf)
            log.debug("exported %d samples", len(self.buf))
            self.buf = []  # the next batch
