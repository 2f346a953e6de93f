"""Already a ``deque(maxlen=capacity)``, appended to synchronously and flushed with a
snapshot, an awaited write and ``clear()``: appends during the write are lost, and a
full deque drops its oldest entry without a word. The capacity stays the declared
one; drops are counted and warned about, and the batch is taken before the write."""

import asyncio
import logging
import time
from collections import deque

logger = logging.getLogger(__name__)


class Sink:
    async def write(self, batch: list[str]) -> None:
        await asyncio.sleep(0)


class DeliveryLog:
    def __init__(self, sink: Sink, capacity: int = 10_000) -> None:
        self.sink = sink
        self._records_capacity = capacity
        self._records: deque[str] = deque(maxlen=self._records_capacity)
        self.dropped_records = 0
        self._last_drop_warning = float("-inf")

    @property
    def records(self) -> list[str]:
        """The records not yet written, oldest first (a copy)."""
        return list(self._records)

    def add(self, record: str) -> None:
        self._append_record(record)

    def _append_record(self, record: str) -> None:
        """Buffer *record*; at capacity the oldest record is dropped, counted."""
        if len(self._records) >= self._records_capacity:
            self._drop_records([self._records.popleft()])
        self._records.append(record)

    def _put_back_records(self, batch: list[str]) -> None:
        """Put back a batch whose write failed.

        It goes in front of the newer records, in order; only what no longer fits is
        dropped, oldest first.
        """
        room = self._records_capacity - len(self._records)
        overflow = max(0, len(batch) - room)
        self._drop_records(batch[:overflow])
        self._records.extendleft(reversed(batch[overflow:]))

    def _drop_records(self, dropped: list[str]) -> None:
        """Count records lost to a full buffer, warning at most once an interval."""
        if not dropped:
            return
        self.dropped_records += len(dropped)
        now = time.monotonic()
        if now - self._last_drop_warning >= 10.0:
            self._last_drop_warning = now
            logger.warning(
                "DeliveryLog.records full and storage failing: "
                "dropped %d oldest records (%d in total)",
                len(dropped),
                self.dropped_records,
            )

    async def flush(self) -> None:
        if not self._records:
            return
        batch = list(self._records)
        self._records.clear()
        flush_failed = True
        try:
            await self.sink.write(batch)
            flush_failed = False
        finally:
            if flush_failed:
                self._put_back_records(batch)
