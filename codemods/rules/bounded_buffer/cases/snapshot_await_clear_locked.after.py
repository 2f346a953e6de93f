"""Snapshot, awaited write, ``clear()`` under a lock the appends also take: they wait
for the whole write, and the list grows without bound while storage is down. The
batch is taken before the first await; the lock still orders the flushes."""

import asyncio
import collections
import logging
import time

logger = logging.getLogger(__name__)


class Sink:
    async def write(self, batch: list[str]) -> None:
        await asyncio.sleep(0)


class Outbox:
    def __init__(self, sink: Sink, capacity: int = 100) -> None:
        self.sink = sink
        self.capacity = capacity
        self._lock = asyncio.Lock()
        self._pending: collections.deque[str] = collections.deque(maxlen=self.capacity)
        self.dropped_pending_items = 0
        self._last_drop_warning = float("-inf")

    @property
    def pending(self) -> list[str]:
        """The pending items not yet written, oldest first (a copy)."""
        return list(self._pending)

    async def add(self, message: str) -> None:
        async with self._lock:
            self._append_pending_item(message)

    def _append_pending_item(self, item: str) -> None:
        """Buffer *item*; at capacity the oldest item is dropped, counted."""
        if len(self._pending) >= self.capacity:
            self._drop_pending([self._pending.popleft()])
        self._pending.append(item)

    def _put_back_pending(self, batch: list[str]) -> None:
        """Put back a batch whose write failed.

        It goes in front of the newer pending items, in order; only what no longer fits
        is dropped, oldest first.
        """
        room = self.capacity - len(self._pending)
        overflow = max(0, len(batch) - room)
        self._drop_pending(batch[:overflow])
        self._pending.extendleft(reversed(batch[overflow:]))

    def _drop_pending(self, dropped: list[str]) -> None:
        """
        Count pending items lost to a full buffer, warning at most once an interval.
        """
        if not dropped:
            return
        self.dropped_pending_items += len(dropped)
        now = time.monotonic()
        if now - self._last_drop_warning >= 10.0:
            self._last_drop_warning = now
            logger.warning(
                "Outbox.pending full and storage failing: "
                "dropped %d oldest pending items (%d in total)",
                len(dropped),
                self.dropped_pending_items,
            )

    async def flush(self) -> None:
        async with self._lock:
            if not self._pending:
                return
            batch = list(self._pending)
            self._pending.clear()
            flush_failed = True
            try:
                await self.sink.write(batch)
                flush_failed = False
            finally:
                if flush_failed:
                    self._put_back_pending(batch)
