"""``stop()`` fences writers off: no ``log_event`` returns an entry id for an entry
that is then never written. Writers still waiting when it is called, and any coming
later, get ``AuditTrailStoppedError``.

Before: writers waiting on a full buffer woke after ``stop()`` had flushed, got ids
back, and their entries stayed in memory (40 of 50 in the attack).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import run

UNBOUNDED = "legacy buffer is an unbounded list"


async def _settle(rounds: int = 50) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


def _trail_with_ten_places(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> Any:
    return impl.EncryptedAuditTrail(
        audit_config(max_memory_entries=10, buffer_full_timeout_seconds=30.0)
    )


async def _start_writers(trail: Any, count: int) -> list[asyncio.Task[str]]:
    """*count* concurrent ``log_event`` calls, run until they are done or wait."""
    writers = [
        asyncio.create_task(trail.log_event("load", "write", details={"n": n}))
        for n in range(count)
    ]
    await _settle()
    return writers


async def _outcomes(
    impl: SimpleNamespace, trail: Any, writers: list[asyncio.Task[str]]
) -> tuple[list[str], int]:
    """The ids the writers got and how many were turned away, once the trail stopped;
    checks that every id is stored and nothing is left behind."""
    results = await asyncio.gather(*writers, return_exceptions=True)
    ids = [result for result in results if isinstance(result, str)]
    refused = [result for result in results if not isinstance(result, str)]
    assert all(isinstance(r, impl.fence.AuditTrailStoppedError) for r in refused)
    stored = await trail.search_events(limit=None)
    assert sorted(entry.entry_id for entry in stored) == sorted(ids)
    assert trail.pending_entries == []
    with pytest.raises(impl.fence.AuditTrailStoppedError, match="stopped"):
        await trail.log_event("late", "write")
    assert (await trail.verify_integrity()).ok
    return ids, len(refused)


def test_stop_under_load_returns_no_id_for_an_entry_it_then_loses(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = _trail_with_ten_places(impl, audit_config)
        writers = await _start_writers(trail, 50)
        await trail.stop()
        ids, refused = await _outcomes(impl, trail, writers)
        assert len(ids) + refused == 50 and ids

    run(scenario())


@pytest.mark.legacy_broken(UNBOUNDED)
def test_writers_waiting_on_a_full_buffer_are_turned_away(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = _trail_with_ten_places(impl, audit_config)
        writers = await _start_writers(trail, 50)
        assert sum(writer.done() for writer in writers) == 10
        await trail.stop()
        ids, refused = await _outcomes(impl, trail, writers)
        assert (len(ids), refused) == (10, 40)

    run(scenario())


@pytest.mark.legacy_broken("legacy start() is synchronous and takes no TaskGroup")
def test_stop_with_workers_and_slow_storage_under_load(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(
            audit_config(max_memory_entries=8, flush_interval_seconds=0.001)
        )
        write_block = trail.store.write_block

        async def slow_write(entries: Any) -> Any:
            await asyncio.sleep(0.005)
            return await write_block(entries)

        trail.store.write_block = slow_write
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            writers = await _start_writers(trail, 300)
            await asyncio.sleep(0.05)  # 300 entries take 40 writes of 5 ms or more
            await trail.stop()
        ids, refused = await _outcomes(impl, trail, writers)
        assert ids and refused

    run(scenario())


@pytest.mark.legacy_broken(UNBOUNDED)
def test_a_waiting_writer_cancelled_by_its_caller_stays_cancelled(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    """The fence takes back only its own cancellation."""

    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(
            audit_config(max_memory_entries=1, buffer_full_timeout_seconds=30.0)
        )
        await trail.log_event("first", "write")
        writer = asyncio.create_task(trail.log_event("second", "write"))
        await _settle()
        assert not writer.done()
        writer.cancel()
        await trail.stop()
        await asyncio.wait([writer])
        assert writer.cancelled()
        assert [e.event_type for e in await trail.search_events()] == ["first"]

    run(scenario())
