"""What the store checks when it opens a trail, before it writes anything: that the key
file can read the trail, and which stored block is the newest authentic one."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from resync.core.audit.blocks import (
    BlockError,
    BlockHeader,
    authenticated_header,
    read_header,
)
from resync.core.audit.checkpoint import Checkpoint
from resync.core.audit.files import read_regular_file
from resync.core.audit.head import StoredCopy
from resync.core.audit.keys import KeyManager
from resync.core.audit.records import MAX_RECORD_BYTES


@dataclass(frozen=True, slots=True)
class BlockFile:
    """A file named like a block: its number (from the name), where it is."""

    seq: int
    archived: bool
    path: Path


def newest_authentic_header(
    files: Sequence[BlockFile], keys: KeyManager
) -> BlockHeader | None:
    """The authentic header with the highest block number. Files are tried from the
    highest name down, each header authenticated on its own (a planted file costs one
    HMAC), until the names fall below the best block found."""
    best: BlockHeader | None = None
    for file in sorted(files, key=lambda file: file.seq, reverse=True):
        if best is not None and file.seq <= best.seq:
            break
        try:
            header = authenticated_header(_header_bytes(file.path), keys)
        except (OSError, BlockError):
            continue
        if best is None or header.seq > best.seq:
            best = header
    return best


def check_keys(
    keys: KeyManager,
    files: Sequence[BlockFile],
    copies: Sequence[StoredCopy],
    root: Path,
) -> None:
    """``KeyFileError`` if the key file is missing or wrong for the stored trail.

    The anchor, kept with the key file, names the key of the trail's head: the key
    file must hold it. Without an anchor, the key file is wrong only when nothing
    stored authenticates with it, so a file planted with an unknown key id is a
    finding of the verification, never a reason to refuse to start.
    """
    checkpoint, anchor = (_claim(copy, root) for copy in copies)
    block = _newest_block_claim(files, root)
    if keys.is_new:
        evidence = block or checkpoint or anchor
        if evidence is not None:
            keys.check_reads(*evidence)  # "the key file is missing"
        return
    if anchor is not None:
        keys.check_reads(*anchor)
        return
    if newest_authentic_header(files, keys) is not None or _authentic(copies[0], keys):
        return
    for claim in (block, checkpoint):
        if claim is not None:
            keys.check_reads(*claim)


def _header_bytes(path: Path) -> bytes:
    return read_regular_file(path, MAX_RECORD_BYTES + 1)


def _claim(copy: StoredCopy, root: Path) -> tuple[str, str] | None:
    """(key id, what) that a copy of the checkpoint says it was written with."""
    if copy.raw is None:
        return None
    try:
        return Checkpoint.parse(copy.raw).key_id, str(root / copy.location)
    except ValueError:
        return None


def _newest_block_claim(
    files: Sequence[BlockFile], root: Path
) -> tuple[str, str] | None:
    for file in sorted(files, key=lambda file: file.seq, reverse=True):
        try:
            header = read_header(_header_bytes(file.path))
        except (OSError, BlockError):
            continue
        return header.key_id, f"audit block {file.path.relative_to(root)}"
    return None


def _authentic(copy: StoredCopy, keys: KeyManager) -> bool:
    if copy.raw is None:
        return False
    try:
        return Checkpoint.parse(copy.raw).is_authentic(keys)
    except ValueError:
        return False
