"""The audit buffer: bounded, losing no entry silently, written outside the lock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import FlakyWrites, eventually, run

LOSES_FAILED_BATCH = "legacy flush drops its batch when the write fails"


async def _flush_until_done(trail: Any, producers: asyncio.Future[Any]) -> None:
    """Act as the flusher (no workers running), tolerating failed writes."""
    while not producers.done() or trail.pending_entries:
        try:
            await trail.flush()
        except OSError:
            pass
        await asyncio.sleep(0)


@pytest.mark.legacy_broken(LOSES_FAILED_BATCH)
def test_nothing_is_lost_when_every_third_write_fails(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> tuple[list[str], FlakyWrites, Any]:
        trail = impl.EncryptedAuditTrail(
            audit_config(max_memory_entries=64, flush_batch_size=16)
        )
        flaky = FlakyWrites(trail.store.write_block, every=3)
        monkeypatch.setattr(trail.store, "write_block", flaky)
        ids: list[str] = []
        for wave in range(10):  # 10 waves of 100 concurrent calls, flushed meanwhile
            producers = asyncio.gather(
                *(
                    trail.log_event("access", "read", details={"wave": wave, "n": n})
                    for n in range(100)
                )
            )
            await _flush_until_done(trail, producers)
            ids += await producers
        await trail.stop()
        return ids, flaky, trail

    ids, flaky, trail = run(scenario())
    assert flaky.failures > 0
    stored = run(trail.search_events(limit=None))
    assert sorted(entry.entry_id for entry in stored) == sorted(ids)
    assert [entry.sequence for entry in stored] == list(range(1, 1001))
    report = run(trail.verify_integrity())
    assert report.ok, report.problems
    assert report.entries_checked == 1000
    assert trail.dropped_entries == 0
    assert max(flaky.batch_sizes) <= 64


@pytest.mark.legacy_broken("legacy start() is synchronous and takes no TaskGroup")
def test_workers_persist_concurrent_events_despite_failing_writes(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> tuple[list[str], FlakyWrites, Any]:
        trail = impl.EncryptedAuditTrail(
            audit_config(max_memory_entries=50, flush_batch_size=10)
        )
        flaky = FlakyWrites(trail.store.write_block, every=4)
        monkeypatch.setattr(trail.store, "write_block", flaky)
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            ids = await asyncio.gather(
                *(
                    trail.log_event("access", "read", details={"n": n})
                    for n in range(1000)
                )
            )
            await trail.stop()
        return ids, flaky, trail

    ids, flaky, trail = run(scenario())
    assert flaky.failures > 0
    stored = run(trail.search_events(limit=None))
    assert sorted(entry.entry_id for entry in stored) == sorted(ids)
    assert run(trail.verify_integrity()).ok
    assert trail.dropped_entries == 0


@pytest.mark.legacy_broken("legacy buffer is an unbounded list")
def test_a_full_buffer_makes_log_event_wait_and_never_grows_past_maxlen(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(
            audit_config(max_memory_entries=32, buffer_full_timeout_seconds=30.0)
        )
        producers = asyncio.gather(
            *(trail.log_event("access", "read", details={"n": n}) for n in range(100))
        )
        longest = 0
        for _ in range(50):  # let the producers run with nobody flushing
            await asyncio.sleep(0)
            longest = max(longest, len(trail.pending_entries))
        assert longest == 32
        assert not producers.done()  # the rest wait for room, they are not dropped
        await _flush_until_done(trail, producers)
        ids = await producers
        await trail.stop()
        stored = await trail.search_events(limit=None)
        assert sorted(entry.entry_id for entry in stored) == sorted(ids)
        assert trail.dropped_entries == 0

    run(scenario())


@pytest.mark.legacy_broken("legacy buffer neither waits, drops nor counts")
def test_oldest_entries_are_dropped_only_after_the_wait_counted_and_warned_once(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)

    async def scenario() -> Any:
        trail = impl.EncryptedAuditTrail(
            audit_config(
                max_memory_entries=8,
                buffer_full_timeout_seconds=0.02,
                drop_warning_interval_seconds=3600.0,
            )
        )
        ids = [
            await trail.log_event("access", "read", details={"n": n}) for n in range(20)
        ]
        assert trail.dropped_entries == 12
        assert [entry.entry_id for entry in trail.pending_entries] == ids[-8:]
        await trail.stop()
        return trail, ids

    trail, ids = run(scenario())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "dropped" in warnings[0].getMessage()
    stored = run(trail.search_events(limit=None))
    assert [entry.entry_id for entry in stored] == ids[-8:]
    report = run(trail.verify_integrity())
    gaps = [p for p in report.problems if p.kind == "missing" and p.scope == "entry"]
    assert [(gap.entry, gap.detail) for gap in gaps] == [
        (1, "entries 1..12 are missing")
    ]


@pytest.mark.legacy_broken(
    "legacy flush holds the lock during I/O and drops a failed batch"
)
def test_writes_happen_outside_the_lock_and_a_failed_batch_goes_back_in_order(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config(max_memory_entries=10))
        writing, release = asyncio.Event(), asyncio.Event()

        async def slow_failing_write(entries: Any) -> Any:
            writing.set()
            await release.wait()
            raise OSError("disk full")

        first = [
            await trail.log_event("a", "write", details={"n": n}) for n in range(4)
        ]
        monkeypatch.setattr(trail.store, "write_block", slow_failing_write)
        flush = asyncio.create_task(trail.flush())
        await writing.wait()
        # While the batch is being written, logging goes on unblocked.
        async with asyncio.timeout(5):
            later = [
                await trail.log_event("b", "write", details={"n": n}) for n in range(6)
            ]
        release.set()
        with pytest.raises(OSError):
            await flush
        pending = [entry.entry_id for entry in trail.pending_entries]
        assert pending == first + later
        assert trail.dropped_entries == 0
        monkeypatch.undo()
        await trail.stop()
        stored = await trail.search_events(limit=None)
        assert [entry.entry_id for entry in stored] == first + later
        assert (await trail.verify_integrity()).ok

    run(scenario())


def test_pending_entries_lists_unwritten_entries_oldest_first(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        ids = [await trail.log_event("a", "b") for _ in range(3)]
        assert [entry.entry_id for entry in trail.pending_entries] == ids
        assert [entry.sequence for entry in trail.pending_entries] == [1, 2, 3]
        await trail.flush()
        assert trail.pending_entries == []
        await eventually(
            lambda: _count(trail, 3), what="the flushed entries to be searchable"
        )

    run(scenario())


async def _count(trail: Any, expected: int) -> bool:
    return len(await trail.search_events(limit=None)) == expected
