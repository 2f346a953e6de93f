"""Encrypted audit trail: hash-chained, signed entries, buffered in memory and written
as encrypted blocks by background workers (flush, archival, verification)."""

import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from resync.core.audit.config import AuditConfig
from resync.core.audit.entry import AuditEntry
from resync.core.audit.fence import AuditTrailStoppedError, WriterFence
from resync.core.audit.integrity import IntegrityReport
from resync.core.audit.keys import KeyManager
from resync.core.audit.store import BlockStore
from resync.core.lifecycle import sleep_unless_set, wait_then_cancel

__all__ = ["AuditConfig", "AuditEntry", "AuditTrailStoppedError", "EncryptedAuditTrail"]

logger = logging.getLogger(__name__)


class EncryptedAuditTrail:
    """Tamper-evident audit log, encrypted at rest.

    ``log_event`` seals each entry into a SHA-256 hash chain, signs it with
    HMAC-SHA256 and buffers it; the flush worker writes the buffer as AES-256-GCM
    blocks. ``await start(tg)`` runs the workers in the caller's TaskGroup (without
    one, in tasks the trail keeps); ``await stop()`` ends them and writes everything
    pending, and is safe to call twice. Entries logged while no worker runs stay
    buffered until ``flush()`` or ``stop()``.
    """

    def __init__(self, config: AuditConfig) -> None:
        self.config = config
        self.key_manager = KeyManager(config.key_file)
        self.store = BlockStore(config.storage_dir, self.key_manager)
        self.chain_hash = self.store.last_chain_hash
        self.last_sequence = self.store.last_sequence
        self.total_entries = 0
        self.last_verification: IntegrityReport | None = None
        self._mem_lock = asyncio.Lock()
        self._flush_lock = asyncio.Lock()
        self._pending_entries: collections.deque[AuditEntry] = collections.deque(
            maxlen=self.config.max_memory_entries
        )
        self._pending_room = asyncio.Condition(self._mem_lock)
        self._pending_unsaved = 0
        self.dropped_entries = 0
        self._last_drop_warning = float("-inf")
        self._flush_requested = asyncio.Event()
        self._stop_requested = asyncio.Event()
        self._running = False
        self._tasks: list[asyncio.Task[None]] = []
        self._writers = WriterFence("the audit trail")

    @property
    def pending_entries(self) -> list[AuditEntry]:
        """The entries not yet written, oldest first (a copy)."""
        return list(self._pending_entries)

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        """
        Start background workers.

        Must be called from an async context with a running event loop.
        """
        if self._running:
            return

        self._running = True
        spawn = asyncio.create_task if tg is None else tg.create_task
        self._tasks = [
            spawn(self._flush_worker(), name="audit_flush_worker"),
            spawn(self._archival_worker(), name="audit_archival_worker"),
            spawn(self._verification_worker(), name="audit_verification_worker"),
        ]
        logger.info("Encrypted audit trail system started")

    async def stop(self) -> None:
        """Stop the workers, then write every pending entry. Safe to call twice.

        Writers are fenced off first: ``log_event`` calls still waiting, and any made
        later, raise ``AuditTrailStoppedError`` (their entries were never buffered).
        Workers get ``stop_timeout_seconds`` to end their round; the rest are
        cancelled. If storage still fails after ``final_flush_attempts``, the error
        is raised and the entries stay pending (``stop()`` again retries).
        """
        self._writers.close()
        if self._running:
            self._running = False
            self._stop_requested.set()
            self._flush_requested.set()
            await self._end_workers()
            self._stop_requested.clear()
        await self._final_flush()

    async def log_event(
        self,
        event_type: str,
        action: str,
        *,
        actor: str | None = None,
        resource: str | None = None,
        outcome: str = "success",
        details: Mapping[str, object] | None = None,
    ) -> str:
        """Seal and buffer an event; returns its entry id.

        ``ValueError`` if *details* is not plain JSON. With the buffer full, this
        waits (bounded) for the flusher to make room. ``AuditTrailStoppedError`` once
        ``stop()`` has begun, for a call already waiting too: no id is returned for an
        entry that ``stop()`` would not write.
        """
        entry = AuditEntry.create(
            event_type,
            action,
            actor=actor,
            resource=resource,
            outcome=outcome,
            details=details,
        )
        async with self._writers.admit(), self._mem_lock:
            await self._append_pending_entry(entry)
            # Sealed once buffered, so buffer order is chain order even after a wait.
            self.last_sequence += 1
            entry.seal(self.last_sequence, self.chain_hash, self.key_manager.active_key)
            self.chain_hash = entry.chain_hash
            self.total_entries += 1
        return entry.entry_id

    async def flush(self) -> None:
        """Write every pending entry now; a storage error is raised, entries kept."""
        async with self._flush_lock:  # after any flush in progress, in block order
            while self.pending_entries:
                await self._flush_pending_entries()

    async def search_events(
        self,
        *,
        event_type: str | None = None,
        actor: str | None = None,
        resource: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int | None = 100,
    ) -> list[AuditEntry]:
        """Stored and pending entries matching every filter given, oldest first."""
        pending = self.pending_entries  # before reading storage: nothing slips between
        found = {entry.sequence: entry for entry in await self.store.load_entries()}
        for entry in pending:
            found.setdefault(entry.sequence, entry)
        matches = [
            entry
            for _, entry in sorted(found.items())
            if (event_type is None or entry.event_type == event_type)
            and (actor is None or entry.actor == actor)
            and (resource is None or entry.resource == resource)
            and (since is None or entry.timestamp >= since)
            and (until is None or entry.timestamp <= until)
        ]
        return matches if limit is None else matches[:limit]

    async def verify_integrity(self) -> IntegrityReport:
        """Check every stored block and entry; the report locates each problem."""
        report = await self.store.verify()
        self.last_verification = report
        return report

    async def archive_old_blocks(self) -> int:
        """Compress blocks older than ``archive_after_seconds`` into the archive."""
        return await self.store.archive(time.time() - self.config.archive_after_seconds)

    async def rotate_key(self) -> str:
        """Start encrypting and signing with a new key; returns its id."""
        key = await self.store.rotate_key()
        logger.info("audit key rotated; active key id %s", key.key_id)
        return key.key_id

    def __repr__(self) -> str:
        return (
            f"<EncryptedAuditTrail running={self._running} workers={len(self._tasks)} "
            f"pending={len(self.pending_entries)} total={self.total_entries} "
            f"storage={str(self.config.storage_dir)!r}>"
        )

    # -- the buffer ------------------------------------------------------------------

    async def _append_pending_entry(self, entry: AuditEntry) -> None:
        """Buffer *entry*; the caller holds ``_mem_lock``.

        At capacity, wake the flusher and wait a bounded time for room; only if storage
        has not caught up by then is the oldest entry dropped.
        """
        capacity = self.config.max_memory_entries
        if self._pending_unsaved >= capacity:
            self._flush_requested.set()
            try:
                async with asyncio.timeout(self.config.buffer_full_timeout_seconds):
                    await self._pending_room.wait_for(
                        lambda: self._pending_unsaved < capacity
                    )
            except TimeoutError:
                if len(self._pending_entries) >= capacity:
                    self._drop_pending_entries([self._pending_entries.popleft()])
        self._pending_entries.append(entry)
        self._pending_unsaved += 1
        if len(self._pending_entries) >= self.config.flush_batch_size:
            self._flush_requested.set()

    async def _settle_pending_entries(
        self, batch: list[AuditEntry], failed: bool
    ) -> None:
        """Account for a batch a flush took out of the buffer.

        Written, its room is free again. Failed, it goes back in front of the newer
        entries, in order; only what no longer fits is dropped, oldest first.
        """
        async with self._mem_lock:
            if failed:
                room = self.config.max_memory_entries - len(self._pending_entries)
                overflow = max(0, len(batch) - room)
                self._drop_pending_entries(batch[:overflow])
                self._pending_entries.extendleft(reversed(batch[overflow:]))
            else:
                self._pending_unsaved -= len(batch)
            self._pending_room.notify_all()

    def _drop_pending_entries(self, dropped: list[AuditEntry]) -> None:
        """Count entries lost to a full buffer, warning at most once an interval."""
        if not dropped:
            return
        self._pending_unsaved -= len(dropped)
        self.dropped_entries += len(dropped)
        now = time.monotonic()
        if now - self._last_drop_warning >= self.config.drop_warning_interval_seconds:
            self._last_drop_warning = now
            logger.warning(
                "EncryptedAuditTrail.pending_entries full and storage failing: "
                "dropped %d oldest entries (%d in total)",
                len(dropped),
                self.dropped_entries,
            )

    async def _flush_pending_entries(self) -> None:
        """Write the pending entries to storage as one block."""
        async with self._mem_lock:
            if not self._pending_entries:
                return
            current_batch = list(self._pending_entries)
            self._pending_entries.clear()

        flush_failed = True
        try:
            await self.store.write_block(current_batch)
            flush_failed = False
        finally:
            await self._settle_pending_entries(current_batch, flush_failed)

    # -- workers ---------------------------------------------------------------------

    async def _flush_once(self) -> None:
        async with self._flush_lock:  # one flush at a time keeps blocks in order
            await self._flush_pending_entries()

    async def _flush_worker(self) -> None:
        while self._running:
            await sleep_unless_set(
                self._flush_requested, self.config.flush_interval_seconds
            )
            self._flush_requested.clear()
            if not self._running:
                break
            try:
                await self._flush_once()
            except Exception:
                logger.exception("audit flush failed; the entries stay pending")
                await sleep_unless_set(
                    self._stop_requested, self.config.flush_retry_seconds
                )
        logger.info("audit_flush_worker completed")

    async def _archival_worker(self) -> None:
        await self._every(self.config.archive_interval_seconds, self.archive_old_blocks)
        logger.info("audit_archival_worker completed")

    async def _verification_worker(self) -> None:
        await self._every(self.config.verify_interval_seconds, self._verify_and_report)
        logger.info("audit_verification_worker completed")

    async def _every(
        self, interval: float, job: Callable[[], Awaitable[object]]
    ) -> None:
        """Run *job* every *interval* seconds until stopped, logging its failures."""
        while self._running:
            await sleep_unless_set(self._stop_requested, interval)
            if not self._running:
                return
            try:
                await job()
            except Exception:
                logger.exception("audit background job failed")

    async def _verify_and_report(self) -> None:
        report = await self.verify_integrity()
        if not report.ok:
            first = report.problems[0]
            logger.error(
                "audit integrity check failed: %d problem(s); first: %s in %s",
                len(report.problems),
                first.detail,
                first.location,
            )

    async def _end_workers(self) -> None:
        """Give the workers ``stop_timeout_seconds`` to return, then cancel the rest."""
        tasks, self._tasks = self._tasks, []
        late = await wait_then_cancel(tasks, self.config.stop_timeout_seconds)
        if late:
            logger.warning("cancelled %d audit worker(s) that did not stop", len(late))
        for task in tasks:
            if not task.cancelled() and task.exception() is not None:
                logger.error("audit worker %s failed", task.get_name())

    async def _final_flush(self) -> None:
        attempts = self.config.final_flush_attempts
        for attempt in range(1, attempts + 1):
            try:
                await self.flush()
                return
            except Exception:
                if attempt == attempts:
                    logger.error(
                        "final audit flush failed; %d entries not written",
                        len(self.pending_entries),
                    )
                    raise
                logger.warning(
                    "final audit flush failed (attempt %d); retrying", attempt
                )
                await asyncio.sleep(self.config.flush_retry_seconds)
