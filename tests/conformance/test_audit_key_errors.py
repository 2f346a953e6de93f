"""A missing or wrong key file: a clear error on opening, and nothing changed on disk.

Without this, a trail whose key file was lost silently made a new key (old entries then
unreadable), and one opened with another trail's key file wrote new blocks and a new
checkpoint with it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import run


def stored_trail(impl: SimpleNamespace, config: Any, entries: int = 3) -> None:
    async def fill() -> None:
        trail = impl.EncryptedAuditTrail(config)
        for n in range(entries):
            await trail.log_event("login", "authenticate", details={"n": n})
        await trail.stop()

    run(fill())


def disk(*roots: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under *roots*: its bytes and permission bits."""
    return {
        str(path): (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_missing_key_file_is_an_error_when_entries_are_stored(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()
    stored_trail(impl, config)
    config.key_file.unlink()
    before = disk(config.storage_dir, config.key_file.parent)

    with pytest.raises(impl.keys.KeyFileError) as caught:
        impl.EncryptedAuditTrail(config)

    message = str(caught.value)
    assert str(config.key_file) in message and "is missing" in message
    assert "block-00000001.aeb" in message
    assert disk(config.storage_dir, config.key_file.parent) == before
    assert not config.key_file.exists(), "no new key may replace the lost one"


def test_a_wrong_key_file_is_an_error_and_nothing_is_written(
    impl: SimpleNamespace, audit_config: Callable[..., Any], tmp_path: Path
) -> None:
    config = audit_config()
    stored_trail(impl, config)
    other = audit_config(
        storage_dir=tmp_path / "other", key_file=tmp_path / "other-keys.json"
    )
    stored_trail(impl, other)
    shutil.copy2(other.key_file, config.key_file)  # another trail's keys, mode 0600
    before = disk(config.storage_dir, config.key_file.parent)

    with pytest.raises(impl.keys.KeyFileError) as caught:
        impl.EncryptedAuditTrail(config)

    message = str(caught.value)
    stored_key = impl.blocks.read_header(
        (Path(config.storage_dir) / "blocks" / "block-00000001.aeb").read_bytes()
    ).key_id
    assert str(config.key_file) in message and "wrong key file" in message
    assert repr(stored_key) in message
    for key in json.loads(config.key_file.read_text())["keys"]:
        assert key["encryption_key"] not in message and key["mac_key"] not in message
    assert disk(config.storage_dir, config.key_file.parent) == before


def test_a_key_file_made_before_rotation_cannot_open_the_rotated_trail(
    impl: SimpleNamespace, audit_config: Callable[..., Any], tmp_path: Path
) -> None:
    config = audit_config()
    stored_trail(impl, config)
    backup = tmp_path / "backup.json"
    shutil.copy2(config.key_file, backup)

    async def rotate_and_log() -> None:
        trail = impl.EncryptedAuditTrail(config)
        await trail.rotate_key()
        await trail.log_event("after", "rotation")
        await trail.stop()

    run(rotate_and_log())
    shutil.copy2(backup, config.key_file)  # an outdated backup restored
    before = disk(config.storage_dir, config.key_file.parent)
    with pytest.raises(impl.keys.KeyFileError, match="wrong key file"):
        impl.EncryptedAuditTrail(config)
    assert disk(config.storage_dir, config.key_file.parent) == before


def test_a_new_trail_still_creates_its_private_key_file(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()
    assert not config.key_file.exists()
    stored_trail(impl, config, entries=1)
    assert stat.S_IMODE(os.stat(config.key_file).st_mode) == 0o600
    stored_trail(impl, config, entries=1)  # and opens it again
