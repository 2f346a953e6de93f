"""Truncation and rollback: the trail's head is anchored (a copy of the checkpoint next
to the key file) and monotonic, so blocks removed at the end, an older checkpoint put
back or a deleted checkpoint are findings, never a fresh start, and stay findings after
the trail writes again (the next block's header records what was wrong).

Before: restoring an older signed ``checkpoint.json`` and deleting the later blocks gave
``ok=True``; a deleted checkpoint was re-signed at the next flush, and then ``ok=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.conformance.support import block_path, fill_trail, found_problems, run

CHECKPOINT = ("modified", "checkpoint", "checkpoint.json", None, None)


def checkpoint_file(config: Any) -> Path:
    return Path(config.storage_dir) / "checkpoint.json"


def anchor_file(config: Any) -> Path:
    return Path(config.key_file).with_name("audit-keys.head.json")


def reopened(impl: SimpleNamespace, config: Any) -> Any:
    return impl.EncryptedAuditTrail(config)


def test_an_older_checkpoint_put_back_with_later_blocks_deleted_is_found(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()
    fill_trail(impl, config, blocks=2, per_block=5)
    older = checkpoint_file(config).read_bytes()
    fill_trail(impl, config, blocks=2, per_block=5)
    checkpoint_file(config).write_bytes(older)
    block_path(config, 3).unlink()
    block_path(config, 4).unlink()

    found = found_problems(reopened(impl, config))
    assert ("missing", "block", "blocks/block-00000003.aeb", 3, None) in found
    assert CHECKPOINT in found
    assert ("missing", "entry", "end of the trail", None, 11) in found

    # The trail goes on after the anchored head, and the gap stays a finding.
    trail = fill_trail(impl, config, blocks=1, per_block=1)
    assert trail.last_sequence == 21
    found = found_problems(reopened(impl, config))
    assert found == [
        ("missing", "block", "blocks/block-00000003.aeb", 3, None),
        ("modified", "checkpoint", "blocks/block-00000005.aeb", 5, None),
        ("missing", "entry", "blocks/block-00000005.aeb", None, 11),
    ]


def test_a_deleted_checkpoint_is_a_finding_not_a_fresh_start(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()
    fill_trail(impl, config, blocks=4, per_block=5)
    checkpoint_file(config).unlink()

    found = found_problems(reopened(impl, config))
    assert found == [("missing", "checkpoint", "checkpoint.json", None, None)]

    trail = fill_trail(impl, config, blocks=1, per_block=1)  # re-signs the checkpoint
    assert trail.last_sequence == 21
    report = run(reopened(impl, config).verify_integrity())
    assert not report.ok
    (problem,) = report.problems
    assert (problem.kind, problem.scope, problem.location, problem.block) == (
        "modified",
        "checkpoint",
        "blocks/block-00000005.aeb",
        5,
    )
    assert "checkpoint.json is missing" in problem.detail


def test_a_deleted_checkpoint_and_last_blocks_are_found(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    config = audit_config()
    fill_trail(impl, config, blocks=4, per_block=5)
    checkpoint_file(config).unlink()
    block_path(config, 4).unlink()

    fill_trail(impl, config, blocks=1, per_block=1)
    found = found_problems(reopened(impl, config))
    assert ("missing", "block", "blocks/block-00000004.aeb", 4, None) in found
    assert ("missing", "entry", "blocks/block-00000005.aeb", None, 16) in found
    assert ("modified", "checkpoint", "blocks/block-00000005.aeb", 5, None) in found


def test_both_copies_of_the_checkpoint_deleted_leave_a_lasting_mark(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    """Without any checkpoint, the trail continues from its newest authentic block,
    and the next block records that it did."""
    config = audit_config()
    fill_trail(impl, config, blocks=4, per_block=5)
    checkpoint_file(config).unlink()
    anchor_file(config).unlink()
    block_path(config, 4).unlink()

    fill_trail(impl, config, blocks=1, per_block=1)
    report = run(reopened(impl, config).verify_integrity())
    found = [(p.kind, p.scope, p.location, p.block) for p in report.problems]
    assert found == [("modified", "checkpoint", "blocks/block-00000004.aeb", 4)]
    assert "checkpoint.json is missing" in report.problems[0].detail


def test_rolling_back_under_a_running_trail_is_found(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    """The running store remembers the head it wrote: copies of the checkpoint and
    blocks rolled back together behind its back are found at its next verification."""
    config = audit_config()
    fill_trail(impl, config, blocks=3, per_block=2)
    older = checkpoint_file(config).read_bytes(), anchor_file(config).read_bytes()
    trail = fill_trail(impl, config, blocks=1, per_block=2)
    checkpoint_file(config).write_bytes(older[0])
    anchor_file(config).write_bytes(older[1])
    block_path(config, 4).unlink()

    found = found_problems(trail)
    assert found == [
        ("missing", "block", "blocks/block-00000004.aeb", 4, None),
        CHECKPOINT,
        ("modified", "checkpoint", str(anchor_file(config)), None, None),
        ("missing", "entry", "end of the trail", None, 7),
    ]


def test_an_interrupted_checkpoint_write_is_completed_not_reported(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    """A crash after a block was written, before one or both copies of the
    checkpoint: the next opening completes the write; nothing was tampered with."""
    config = audit_config()
    fill_trail(impl, config, blocks=3, per_block=2)
    older = checkpoint_file(config).read_bytes(), anchor_file(config).read_bytes()
    fill_trail(impl, config, blocks=1, per_block=2)
    newer = checkpoint_file(config).read_bytes()

    anchor_file(config).write_bytes(older[1])  # crashed before the anchor
    assert found_problems(reopened(impl, config)) == []
    assert anchor_file(config).read_bytes() == newer
    checkpoint_file(config).write_bytes(older[0])  # crashed before both
    anchor_file(config).write_bytes(older[1])
    assert found_problems(reopened(impl, config)) == []
    assert checkpoint_file(config).read_bytes() == newer
    assert anchor_file(config).read_bytes() == newer
