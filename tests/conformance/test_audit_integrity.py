"""Tamper detection: every modified, removed, reordered or inserted block or entry is
found and located; entries are encrypted at rest and written atomically."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import run

SECRET = "plaintext-marker-4f9c2a"
BLOCKS = 4
PER_BLOCK = 5


@pytest.fixture
def trail(impl: SimpleNamespace, audit_config: Callable[..., Any]) -> Any:
    """A trail with 4 stored blocks of 5 entries each (sequences 1..20)."""

    async def build() -> Any:
        trail = impl.EncryptedAuditTrail(audit_config())
        for _ in range(BLOCKS):
            for n in range(PER_BLOCK):
                await trail.log_event(
                    "payment",
                    "approve",
                    actor="carol",
                    details={"note": SECRET, "n": n},
                )
            await trail.flush()
        return trail

    return run(build())


def block_file(trail: Any, seq: int) -> Path:
    return Path(trail.config.storage_dir) / "blocks" / f"block-{seq:08d}.aeb"


def problems(trail: Any) -> list[tuple[str, str, str, int | None, int | None]]:
    report = run(trail.verify_integrity())
    return [(p.kind, p.scope, p.location, p.block, p.entry) for p in report.problems]


def test_an_untouched_trail_verifies(trail: Any) -> None:
    report = run(trail.verify_integrity())
    assert report.ok
    assert (report.blocks_checked, report.entries_checked) == (
        BLOCKS,
        BLOCKS * PER_BLOCK,
    )


@pytest.mark.parametrize("offset", [5, -1, -30], ids=["header", "tag", "ciphertext"])
def test_a_flipped_byte_is_detected_in_its_block(trail: Any, offset: int) -> None:
    path = block_file(trail, 2)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    found = problems(trail)
    assert ("modified", "block", "blocks/block-00000002.aeb", 2, None) in found
    modified = [problem for problem in found if problem[0] == "modified"]
    assert {problem[2] for problem in modified} == {"blocks/block-00000002.aeb"}


def test_a_deleted_block_is_reported_missing(trail: Any) -> None:
    block_file(trail, 2).unlink()
    found = problems(trail)
    assert ("missing", "block", "blocks/block-00000002.aeb", 2, None) in found
    missing_entries = [p for p in found if p[:2] == ("missing", "entry")]
    assert [p[4] for p in missing_entries] == [PER_BLOCK + 1]


def test_deleting_the_last_block_is_detected_too(trail: Any) -> None:
    block_file(trail, BLOCKS).unlink()
    found = problems(trail)
    assert ("missing", "block", f"blocks/block-{BLOCKS:08d}.aeb", BLOCKS, None) in found


def test_two_swapped_blocks_are_both_located(trail: Any) -> None:
    second, third = block_file(trail, 2), block_file(trail, 3)
    data_second, data_third = second.read_bytes(), third.read_bytes()
    second.write_bytes(data_third)
    third.write_bytes(data_second)
    found = problems(trail)
    assert sorted(found) == [
        ("reordered", "block", "blocks/block-00000002.aeb", 3, None),
        ("reordered", "block", "blocks/block-00000003.aeb", 2, None),
    ]


def test_an_inserted_copy_of_a_block_is_located(trail: Any) -> None:
    copy = block_file(trail, BLOCKS + 1)
    copy.write_bytes(block_file(trail, 1).read_bytes())
    found = problems(trail)
    assert ("inserted", "block", f"blocks/{copy.name}", 1, None) in found


def _rewrite_block(
    impl: SimpleNamespace, trail: Any, seq: int, edit: Callable[[list[Any]], list[Any]]
) -> None:
    """Re-encrypt block *seq* with edited entries, as an insider with the key could."""
    path = block_file(trail, seq)
    header, entries = impl.blocks.decode_block(path.read_bytes(), trail.key_manager)
    key = trail.key_manager.get(header.key_id)
    data = impl.blocks.encode_block(
        seq, edit(entries), key, created_at=header.created_at
    )
    path.write_bytes(data)


def test_a_modified_entry_is_located(impl: SimpleNamespace, trail: Any) -> None:
    def edit(entries: list[Any]) -> list[Any]:
        entries[2].details = {"note": "changed"}
        return entries

    _rewrite_block(impl, trail, 2, edit)
    assert problems(trail) == [("modified", "entry", "blocks/block-00000002.aeb", 2, 8)]


def test_a_removed_entry_is_located(impl: SimpleNamespace, trail: Any) -> None:
    _rewrite_block(impl, trail, 3, lambda entries: entries[:1] + entries[2:])
    found = problems(trail)
    assert [p for p in found if p[1] == "entry"] == [
        ("missing", "entry", "blocks/block-00000003.aeb", None, 12)
    ]


def test_reordered_entries_are_located(impl: SimpleNamespace, trail: Any) -> None:
    _rewrite_block(impl, trail, 2, lambda e: [e[0], e[2], e[1], e[3], e[4]])
    found = [p for p in problems(trail) if p[1] == "entry"]
    assert found == [("reordered", "entry", "blocks/block-00000002.aeb", 2, 7)]


def test_an_inserted_entry_is_located(impl: SimpleNamespace, trail: Any) -> None:
    _rewrite_block(impl, trail, 4, lambda e: [*e[:3], e[1], *e[3:]])
    found = [p for p in problems(trail) if p[1] == "entry"]
    assert found == [("inserted", "entry", "blocks/block-00000004.aeb", 4, 17)]


def test_entries_are_encrypted_at_rest_and_files_are_private(trail: Any) -> None:
    root = Path(trail.config.storage_dir)
    files = [path for path in root.rglob("*") if path.is_file()]
    assert len([path for path in files if path.suffix == ".aeb"]) == BLOCKS
    for path in files:
        assert SECRET.encode() not in path.read_bytes()
        assert b"carol" not in path.read_bytes()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not [path for path in files if path.name.endswith(".tmp")]
