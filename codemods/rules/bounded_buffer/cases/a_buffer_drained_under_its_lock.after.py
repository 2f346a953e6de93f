import asyncio
import collections
import logging
import time
from typing import Protocol

logger = logging.getLogger(__name__)


class Config(Protocol):
    max_memory_entries: int


class Store(Protocol):
    async def write(self, batch: list[str]) -> None: ...


class Outbox:
    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self._lock = asyncio.Lock()
        self._messages: collections.deque[str] = collections.deque(
            maxlen=self.config.max_memory_entries
        )
        self._messages_room = asyncio.Condition(self._lock)
        self._messages_unsaved = 0
        self.dropped_messages = 0
        self._last_drop_warning = float("-inf")

    @property
    def messages(self) -> list[str]:
        """The messages not yet written, oldest first (a copy)."""
        return list(self._messages)

    async def send(self, message: str) -> None:
        async with self._lock:
            await self._append_message(message)

    async def _append_message(self, message: str) -> None:
        """Buffer *message*; the caller holds ``_lock``.

        At capacity, wait a bounded time for room; only if storage has not caught up by
        then is the oldest message dropped.
        """
        capacity = self.config.max_memory_entries
        if self._messages_unsaved >= capacity:
            try:
                async with asyncio.timeout(30.0):
                    await self._messages_room.wait_for(
                        lambda: self._messages_unsaved < capacity
                    )
            except TimeoutError:
                if len(self._messages) >= capacity:
                    self._drop_messages([self._messages.popleft()])
        self._messages.append(message)
        self._messages_unsaved += 1

    async def _settle_messages(self, batch: list[str], failed: bool) -> None:
        """Account for a batch a flush took out of the buffer.

        Written, its room is free again. Failed, it goes back in front of the newer
        messages, in order; only what no longer fits is dropped, oldest first.
        """
        async with self._lock:
            if failed:
                room = self.config.max_memory_entries - len(self._messages)
                overflow = max(0, len(batch) - room)
                self._drop_messages(batch[:overflow])
                self._messages.extendleft(reversed(batch[overflow:]))
            else:
                self._messages_unsaved -= len(batch)
            self._messages_room.notify_all()

    def _drop_messages(self, dropped: list[str]) -> None:
        """Count messages lost to a full buffer, warning at most once an interval."""
        if not dropped:
            return
        self._messages_unsaved -= len(dropped)
        self.dropped_messages += len(dropped)
        now = time.monotonic()
        if now - self._last_drop_warning >= 10.0:
            self._last_drop_warning = now
            logger.warning(
                "Outbox.messages full and storage failing: "
                "dropped %d oldest messages (%d in total)",
                len(dropped),
                self.dropped_messages,
            )

    async def flush(self) -> None:
        async with self._lock:
            if not self._messages:
                return
            batch = list(self._messages)
            self._messages.clear()

        flush_failed = True
        try:
            await self.store.write(batch)
            flush_failed = False
        finally:
            await self._settle_messages(batch, flush_failed)
