"""Planted and malformed files in the storage directory: each one is reported by the
verification, which never raises; none of them hides later events, stops the trail
from opening or writing, or is taken as the trail's head.

Before: a planted ``block-99999999.aeb`` with a fake header became the head (new blocks
were named ``block-100000000.aeb`` and never listed again), verification died with a
``MemoryError``, and a checkpoint with ``"mac": "é..."`` made it raise ``TypeError``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import block_path, fill_trail, found_problems, run

FAR = 99_999_999


def forged_header(config: Any, seq: int, **changes: object) -> bytes:
    """Block 4's header, renumbered *seq* and changed, signature kept: a fake block
    as someone without the keys can make it, with a real key id copied in."""
    raw = block_path(config, 4).read_bytes().partition(b"\n")[0]
    fields = {**json.loads(raw), "seq": seq, "last_sequence": 10**9, **changes}
    header = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return header.encode() + b"\n" + os.urandom(64)


def plant(config: Any, kind: str) -> Path:
    """Plant a file of *kind* among the blocks; where it is."""
    blocks = Path(config.storage_dir) / "blocks"
    if kind == "forged header":
        path = blocks / f"block-{FAR:08d}.aeb"
        path.write_bytes(forged_header(config, FAR))
    elif kind == "unknown key id":
        path = blocks / f"block-{FAR:08d}.aeb"
        path.write_bytes(forged_header(config, FAR, key_id="0123456789abcdef"))
    elif kind == "the next block's name":
        path = block_path(config, 5)
        path.write_bytes(forged_header(config, 5))
    elif kind == "fifo":
        path = block_path(config, 7)
        os.mkfifo(path)
    elif kind == "directory":
        path = block_path(config, 7)
        path.mkdir()
    else:  # a symbolic link to a genuine block
        path = block_path(config, 7)
        path.symlink_to(block_path(config, 1))
    return path


@pytest.mark.parametrize(
    "kind",
    [
        "forged header",
        "unknown key id",
        "the next block's name",
        "fifo",
        "directory",
        "symlink",
    ],
)
def test_a_planted_block_file_hides_nothing_and_is_reported(
    impl: SimpleNamespace, audit_config: Callable[..., Any], kind: str
) -> None:
    config = audit_config()
    fill_trail(impl, config, blocks=4, per_block=5)
    planted = plant(config, kind)

    fill_trail(impl, config, blocks=1, per_block=3)  # opens, logs 3 events, writes
    trail = impl.EncryptedAuditTrail(config)

    later = run(trail.search_events(event_type="payment", limit=None))
    assert [entry.sequence for entry in later] == list(range(1, 24))
    new_block = 6 if kind == "the next block's name" else 5
    assert block_path(config, new_block).is_file()
    name = f"blocks/{planted.name}"
    seq = int(planted.name[6:-4])
    assert found_problems(trail) == [("modified", "block", name, seq, None)]


def test_block_names_are_parsed_strictly(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    """Only the exact names the trail writes are blocks; others are not read."""
    config = audit_config()
    fill_trail(impl, config, blocks=2, per_block=2)
    blocks = Path(config.storage_dir) / "blocks"
    genuine = block_path(config, 1).read_bytes()
    for name in ("block-000000001.aeb", "block-1.aeb", "block-00000003.aeb.bak"):
        (blocks / name).write_bytes(genuine)
    trail = impl.EncryptedAuditTrail(config)
    assert found_problems(trail) == []
    assert run(trail.verify_integrity()).blocks_checked == 2


def record_of(path: Path) -> dict[str, Any]:
    fields: dict[str, Any] = json.loads(path.read_bytes().partition(b"\n")[0])
    return fields


MALFORMED: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "non-ASCII mac": lambda r: json.dumps({**r, "mac": "é" * 64}).encode(),
    "int mac": lambda r: json.dumps({**r, "mac": 12345}).encode(),
    "key_id a list": lambda r: json.dumps({**r, "key_id": [r["key_id"]]}).encode(),
    "an int": lambda r: b"42",
    "nested 2,000 deep": lambda r: b"[" * 2000 + b"]" * 2000,
    "nested 100,000 deep": lambda r: b"[" * 100_000 + b"]" * 100_000,
    "NaN": lambda r: json.dumps({**r, "last_sequence": float("nan")}).encode(),
    "a 5,000-digit number": lambda r: (
        json.dumps(r)
        .replace(
            f'"last_sequence": {r["last_sequence"]}', '"last_sequence": ' + "9" * 5000
        )
        .encode()
    ),
    "true for a number": lambda r: json.dumps({**r, "last_sequence": True}).encode(),
    "not UTF-8": lambda r: b'{"mac": "\xff\xfe"}',
    "empty": lambda r: b"",
    "not canonical": lambda r: json.dumps(r, indent=1).encode(),
}


def _anchor(config: Any) -> Path:
    return Path(config.key_file).with_name("audit-keys.head.json")


@pytest.mark.parametrize("malformed", list(MALFORMED))
@pytest.mark.parametrize("target", ["checkpoint.json", "anchor", "block header"])
def test_a_malformed_record_is_reported_never_raised(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    target: str,
    malformed: str,
) -> None:
    config = audit_config()
    fill_trail(impl, config, blocks=3, per_block=2)
    expected: tuple[str, str, str, int | None, None]
    if target == "block header":
        path = block_path(config, 2)
        expected = ("modified", "block", "blocks/block-00000002.aeb", 2, None)
    elif target == "anchor":
        path = _anchor(config)
        expected = ("modified", "checkpoint", str(path), None, None)
    else:
        path = Path(config.storage_dir) / "checkpoint.json"
        expected = ("modified", "checkpoint", "checkpoint.json", None, None)
    record = MALFORMED[malformed](record_of(path))
    if target == "block header":
        record += b"\n" + path.read_bytes().partition(b"\n")[2]
    path.write_bytes(record)

    trail = impl.EncryptedAuditTrail(config)  # opening does not raise either
    report = run(trail.verify_integrity())

    found = [(p.kind, p.scope, p.location, p.block, p.entry) for p in report.problems]
    assert expected in found
    assert not report.ok


def test_a_checkpoint_naming_an_unknown_key_does_not_block_startup(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    """Only the anchor, kept with the key file, names the key the key file must hold;
    a checkpoint.json planted with another key id is a finding."""
    config = audit_config()
    fill_trail(impl, config, blocks=2, per_block=2)
    path = Path(config.storage_dir) / "checkpoint.json"
    fields = {**record_of(path), "key_id": "0123456789abcdef"}
    path.write_text(json.dumps(fields, sort_keys=True, separators=(",", ":")))

    trail = fill_trail(impl, config, blocks=1, per_block=1)
    assert trail.last_sequence == 5
    found = found_problems(impl.EncryptedAuditTrail(config))
    assert found == [("modified", "checkpoint", "blocks/block-00000003.aeb", 3, None)]
