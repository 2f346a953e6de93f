"""Already a bounded deque, drained under the lock the appends take: full, it drops
its oldest entry without a word. It keeps its capacity; appends wait for room, and
what is dropped is counted."""

import asyncio
import collections
import logging
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Config:
    max_memory_entries: int = 100


async def write(batch: list[str]) -> None:
    await asyncio.sleep(0)


class Outbox:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = asyncio.Lock()
        self._pending_capacity = config.max_memory_entries
        self._pending: collections.deque[str] = collections.deque(
            maxlen=self._pending_capacity
        )
        self._pending_room = asyncio.Condition(self._lock)
        self._pending_unsaved = 0
        self.dropped_pending_items = 0
        self._last_drop_warning = float("-inf")

    @property
    def pending(self) -> list[str]:
        """The pending items not yet written, oldest first (a copy)."""
        return list(self._pending)

    async def send(self, message: str) -> None:
        async with self._lock:
            await self._append_pending_item(message)

    async def _append_pending_item(self, item: str) -> None:
        """Buffer *item*; the caller holds ``_lock``.

        At capacity, wait a bounded time for room; only if storage has not caught up by
        then is the oldest item dropped.
        """
        capacity = self._pending_capacity
        if self._pending_unsaved >= capacity:
            try:
                async with asyncio.timeout(30.0):
                    await self._pending_room.wait_for(
                        lambda: self._pending_unsaved < capacity
                    )
            except TimeoutError:
                if len(self._pending) >= capacity:
                    self._drop_pending([self._pending.popleft()])
        self._pending.append(item)
        self._pending_unsaved += 1

    async def _settle_pending(self, batch: list[str], failed: bool) -> None:
        """Account for a batch a flush took out of the buffer.

        Written, its room is free again. Failed, it goes back in front of the newer
        pending items, in order; only what no longer fits is dropped, oldest first.
        """
        async with self._lock:
            if failed:
                room = self._pending_capacity - len(self._pending)
                overflow = max(0, len(batch) - room)
                self._drop_pending(batch[:overflow])
                self._pending.extendleft(reversed(batch[overflow:]))
            else:
                self._pending_unsaved -= len(batch)
            self._pending_room.notify_all()

    def _drop_pending(self, dropped: list[str]) -> None:
        """
        Count pending items lost to a full buffer, warning at most once an interval.
        """
        if not dropped:
            return
        self._pending_unsaved -= len(dropped)
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
            batch = list(self._pending)
            self._pending.clear()

        flush_failed = True
        try:
            await write(batch)
            flush_failed = False
        finally:
            await self._settle_pending(batch, flush_failed)
