"""Starting and stopping the audit trail: workers, TaskGroup, no task left behind."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import WORKER_NAMES, eventually, other_tasks, run

SYNC_START = "legacy start() is synchronous and takes no TaskGroup"


@pytest.mark.legacy_broken(SYNC_START)
def test_start_in_a_taskgroup_runs_the_three_named_workers(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            running = {task.get_name(): task for task in other_tasks()}
            assert set(WORKER_NAMES) <= set(running)
            assert not any(running[name].done() for name in WORKER_NAMES)
            await trail.stop()
            assert all(running[name].done() for name in WORKER_NAMES)
        assert other_tasks() == set()

    run(scenario())


@pytest.mark.legacy_broken(SYNC_START)
def test_start_twice_starts_the_workers_once(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            await trail.start(tg=tg)
            names = sorted(task.get_name() for task in other_tasks())
            assert names == sorted(WORKER_NAMES)
            await trail.stop()

    run(scenario())


@pytest.mark.legacy_broken(SYNC_START)
def test_without_a_taskgroup_stop_leaves_no_task_running(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        await trail.start()
        assert {task.get_name() for task in other_tasks()} == set(WORKER_NAMES)
        await trail.log_event("login", "authenticate", actor="alice")
        await trail.stop()
        assert other_tasks() == set()
        assert trail.pending_entries == []
        assert len(await trail.search_events()) == 1

    run(scenario())


@pytest.mark.legacy_broken(SYNC_START)
def test_stop_cancels_a_worker_that_does_not_return_in_time(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(
            audit_config(archive_interval_seconds=0.0, stop_timeout_seconds=0.2)
        )
        stuck = asyncio.Event()

        async def hanging_archive(older_than: float) -> int:
            stuck.set()
            await asyncio.Event().wait()  # never returns
            return 0

        monkeypatch.setattr(trail.store, "archive", hanging_archive)
        await trail.start()
        await stuck.wait()
        await trail.log_event("login", "authenticate")
        await trail.stop()
        assert other_tasks() == set()
        assert len(await trail.search_events()) == 1

    run(scenario())


@pytest.mark.legacy_broken(SYNC_START)
def test_stop_is_safe_to_call_twice_after_start(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            await trail.log_event("login", "authenticate")
            await trail.stop()
            await trail.stop()
        assert len(await trail.search_events()) == 1

    run(scenario())


def test_stop_without_start_writes_what_was_logged(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        ids = [
            await trail.log_event("export", "download", details={"n": n})
            for n in range(3)
        ]
        await trail.stop()
        await trail.stop()
        stored = await trail.search_events(limit=None)
        assert [entry.entry_id for entry in stored] == ids
        assert (await trail.verify_integrity()).ok

    run(scenario())


@pytest.mark.legacy_broken(SYNC_START)
def test_each_worker_logs_its_completion_when_stopped(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            await trail.stop()

    run(scenario())
    messages = [record.getMessage() for record in caplog.records]
    for name in WORKER_NAMES:
        assert messages.count(f"{name} completed") == 1


@pytest.mark.legacy_broken(SYNC_START)
def test_the_archival_and_verification_workers_do_their_rounds(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    config = audit_config(
        archive_after_seconds=0.0,
        archive_interval_seconds=0.05,
        verify_interval_seconds=0.05,
    )

    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(config)
        await trail.log_event("login", "authenticate")
        await trail.flush()
        archive = Path(config.storage_dir) / "archive"
        async with asyncio.TaskGroup() as tg:
            await trail.start(tg=tg)
            await eventually(
                lambda: _exists(archive / "block-00000001.aeb"), what="the archival"
            )
            (archive / "block-00000001.aeb").write_bytes(b"{}\nforged")
            await eventually(
                lambda: _failed_verification(trail), what="a failed verification"
            )
            await trail.stop()

    run(scenario())
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("archive/block-00000001.aeb" in message for message in errors)


async def _exists(path: Path) -> bool:
    return path.exists()


async def _failed_verification(trail: Any) -> bool:
    report = trail.last_verification
    return report is not None and not report.ok
