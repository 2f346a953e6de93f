"""Keys, rotation, archival, restart, search, and nothing secret in the logs."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import FlakyWrites, run

SECRET = "plaintext-marker-7d1e0b"


def key_material(key_file: Path) -> list[str]:
    """Every key of the key file, in the encodings a leak would likely use."""
    leaked = []
    for key in json.loads(key_file.read_text())["keys"]:
        for name in ("encryption_key", "mac_key"):
            raw = base64.b64decode(key[name])
            leaked += [key[name], raw.hex(), repr(raw)]
    return leaked


def test_the_key_file_is_created_private_whatever_the_umask(
    impl: SimpleNamespace, audit_config: Callable[..., Any], open_umask: None
) -> None:
    trail = impl.EncryptedAuditTrail(audit_config())
    mode = stat.S_IMODE(os.stat(trail.config.key_file).st_mode)
    assert mode == 0o600


def test_a_key_file_readable_by_others_is_refused(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()
    impl.EncryptedAuditTrail(config)
    os.chmod(config.key_file, 0o644)
    with pytest.raises(RuntimeError, match="0600"):
        impl.EncryptedAuditTrail(config)


def test_rotation_keeps_old_blocks_readable_and_verifiable(
    impl: SimpleNamespace, audit_config: Callable[..., Any], open_umask: None
) -> None:
    config = audit_config()

    async def scenario() -> tuple[list[str], str, str]:
        trail = impl.EncryptedAuditTrail(config)
        old_key = trail.key_manager.active_key.key_id
        ids = [
            await trail.log_event("before", "rotation", details={"n": n})
            for n in range(3)
        ]
        await trail.flush()
        new_key = await trail.rotate_key()
        ids += [
            await trail.log_event("after", "rotation", details={"n": n})
            for n in range(3)
        ]
        await trail.stop()
        return ids, old_key, new_key

    ids, old_key, new_key = run(scenario())
    assert old_key != new_key
    assert stat.S_IMODE(os.stat(config.key_file).st_mode) == 0o600
    blocks = sorted((Path(config.storage_dir) / "blocks").glob("*.aeb"))
    headers = [impl.blocks.read_header(path.read_bytes()) for path in blocks]
    assert [header.key_id for header in headers] == [old_key, new_key]

    reopened = impl.EncryptedAuditTrail(config)  # a new process: keys from the file
    stored = run(reopened.search_events(limit=None))
    assert [entry.entry_id for entry in stored] == ids
    assert {entry.key_id for entry in stored} == {old_key, new_key}
    assert run(reopened.verify_integrity()).ok


def test_a_restarted_trail_continues_the_chain(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()

    async def session(label: str) -> None:
        trail = impl.EncryptedAuditTrail(config)
        for n in range(3):
            await trail.log_event(label, "write", details={"n": n})
        await trail.stop()

    run(session("first"))
    run(session("second"))
    trail = impl.EncryptedAuditTrail(config)
    stored = run(trail.search_events(limit=None))
    assert [entry.sequence for entry in stored] == [1, 2, 3, 4, 5, 6]
    assert [entry.event_type for entry in stored] == ["first"] * 3 + ["second"] * 3
    assert run(trail.verify_integrity()).ok


def test_old_blocks_are_archived_compressed_and_stay_verifiable(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config(archive_after_seconds=0.0)

    async def scenario() -> tuple[Any, list[str], int, int]:
        trail = impl.EncryptedAuditTrail(config)
        ids = []
        for _ in range(3):
            ids += [
                await trail.log_event("bulk", "import", details={"row": "x" * 200})
                for _ in range(20)
            ]
            await trail.flush()
        active = Path(config.storage_dir) / "blocks"
        before = sum(path.stat().st_size for path in active.glob("*.aeb"))
        archived = await trail.archive_old_blocks()
        return trail, ids, archived, before

    trail, ids, archived, before = run(scenario())
    archive = Path(config.storage_dir) / "archive"
    assert archived == 3
    assert list((Path(config.storage_dir) / "blocks").glob("*.aeb")) == []
    after = sum(path.stat().st_size for path in archive.glob("*.aeb"))
    assert after < before / 2
    stored = run(trail.search_events(limit=None))
    assert [entry.entry_id for entry in stored] == ids
    assert run(trail.verify_integrity()).ok


def test_search_filters_stored_and_pending_entries(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        stored = await trail.log_event("login", "authenticate", actor="alice")
        await trail.log_event("login", "authenticate", actor="bob")
        await trail.flush()
        pending = await trail.log_event("logout", "end", actor="alice", resource="s1")
        found = await trail.search_events(actor="alice")
        assert [entry.entry_id for entry in found] == [stored, pending]
        found = await trail.search_events(event_type="logout", resource="s1")
        assert [entry.entry_id for entry in found] == [pending]
        assert len(await trail.search_events(limit=2)) == 2
        await trail.stop()

    run(scenario())


def test_details_that_are_not_plain_json_are_refused(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        trail = impl.EncryptedAuditTrail(audit_config())
        for bad in ({"x": float("nan")}, {"x": {1, 2}}):
            with pytest.raises(ValueError):
                await trail.log_event("bad", "input", details=bad)
        assert trail.pending_entries == []

    run(scenario())


def test_no_key_material_or_plaintext_is_ever_logged(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    config = audit_config(max_memory_entries=4, buffer_full_timeout_seconds=0.01)

    async def scenario() -> Any:
        trail = impl.EncryptedAuditTrail(config)
        flaky = FlakyWrites(trail.store.write_block, every=2)
        monkeypatch.setattr(trail.store, "write_block", flaky)
        for _ in range(10):  # nobody flushes: the buffer may overflow (warnings)
            await trail.log_event("secret", SECRET, actor=SECRET, details={"v": SECRET})
        for _ in range(3):
            await trail.log_event("secret", SECRET, actor=SECRET, details={"v": SECRET})
            with contextlib.suppress(OSError):
                await trail.flush()
        await trail.rotate_key()
        monkeypatch.undo()
        await trail.stop()
        path = Path(config.storage_dir) / "blocks" / "block-00000001.aeb"
        path.write_bytes(path.read_bytes()[:-1] + b"\0")  # tampered: problems logged
        await trail.verify_integrity()
        await trail.search_events()
        return trail

    trail = run(scenario())
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("block-00000001.aeb" in message for message in warnings)
    logged = caplog.text + "".join(
        repr(value)
        for value in (trail, trail.key_manager, trail.store, *trail.pending_entries)
    )
    for leak in [SECRET, *key_material(config.key_file)]:
        assert leak not in logged
