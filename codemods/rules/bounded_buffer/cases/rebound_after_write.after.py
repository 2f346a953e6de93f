"""The buffer itself is written, then rebound to a new list (``self.buf = []``):
samples observed while the export awaits are thrown away with the old list. The
batch is now taken before the export, which writes it."""

import asyncio
import collections
import logging
import time
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
        self._buf: collections.deque[Sample] = collections.deque(
            maxlen=self.max_buffered
        )
        self.dropped_buf_items = 0
        self._last_drop_warning = float("-inf")

    @property
    def buf(self) -> list[Sample]:
        """The buf items not yet written, oldest first (a copy)."""
        return list(self._buf)

    def add(self, sample: Sample) -> None:
        self._append_buf_item(sample)

    def _append_buf_item(self, item: Sample) -> None:
        """Buffer *item*; at capacity the oldest item is dropped, counted."""
        if len(self._buf) >= self.max_buffered:
            self._drop_buf([self._buf.popleft()])
        self._buf.append(item)

    def _put_back_buf(self, batch: list[Sample]) -> None:
        """Put back a batch whose write failed.

        It goes in front of the newer buf items, in order; only what no longer fits is
        dropped, oldest first.
        """
        room = self.max_buffered - len(self._buf)
        overflow = max(0, len(batch) - room)
        self._drop_buf(batch[:overflow])
        self._buf.extendleft(reversed(batch[overflow:]))

    def _drop_buf(self, dropped: list[Sample]) -> None:
        """Count buf items lost to a full buffer, warning at most once an interval."""
        if not dropped:
            return
        self.dropped_buf_items += len(dropped)
        now = time.monotonic()
        if now - self._last_drop_warning >= 10.0:
            self._last_drop_warning = now
            log.warning(
                "Reporter.buf full and storage failing: "
                "dropped %d oldest buf items (%d in total)",
                len(dropped),
                self.dropped_buf_items,
            )

    async def flush(self) -> None:
        async with self._lock:
            if not self._buf:
                return
            batch = list(self._buf)
            self._buf.clear()  # the next batch
            flush_failed = True
            try:
                await self.exporter.export(batch)
                log.debug("exported %d samples", len(batch))
                flush_failed = False
            finally:
                if flush_failed:
                    self._put_back_buf(batch)
