"""Archival verifies before it deletes: an active block goes only once the archive
holds a copy that decodes to the same entries.

Before: a same-named file in ``archive/`` made archival delete the genuine active block
without reading the file (5 entries unrecoverable).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import block_path, fill_trail, found_problems, run

PLANTED = "archive/block-00000002.aeb"


def plant_in_archive(impl: SimpleNamespace, config: Any, kind: str) -> None:
    target = block_path(config, 2, "archive")
    keys = impl.EncryptedAuditTrail(config).key_manager
    if kind == "junk":
        target.write_bytes(b"{}\nnot a block")
    elif kind == "another block":
        target.write_bytes(
            impl.blocks.compress_block(block_path(config, 1).read_bytes(), keys)
        )
    else:  # its own archived copy, left by an archival cut short
        target.write_bytes(
            impl.blocks.compress_block(block_path(config, 2).read_bytes(), keys)
        )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("junk", [("modified", "block", PLANTED, 2, None)]),
        ("another block", [("inserted", "block", PLANTED, 1, None)]),
    ],
)
def test_a_taken_archive_name_keeps_the_active_block(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    kind: str,
    expected: list[Any],
) -> None:
    config = audit_config(archive_after_seconds=0.0)
    fill_trail(impl, config, blocks=3, per_block=5)
    plant_in_archive(impl, config, kind)
    trail = impl.EncryptedAuditTrail(config)

    assert run(trail.archive_old_blocks()) == 2
    assert block_path(config, 2).is_file()
    assert not block_path(config, 1).exists() and not block_path(config, 3).exists()
    stored = run(trail.search_events(limit=None))
    assert [entry.sequence for entry in stored] == list(range(1, 16))
    assert found_problems(trail) == expected
    assert run(trail.archive_old_blocks()) == 0  # and it stays so


def test_its_own_archived_copy_completes_the_archival(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config(archive_after_seconds=0.0)
    fill_trail(impl, config, blocks=3, per_block=5)
    plant_in_archive(impl, config, "own copy")
    trail = impl.EncryptedAuditTrail(config)

    assert run(trail.archive_old_blocks()) == 3
    assert list((Path(config.storage_dir) / "blocks").iterdir()) == []
    assert len(run(trail.search_events(limit=None))) == 15
    assert found_problems(trail) == []
