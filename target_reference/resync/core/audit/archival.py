"""Archival: old active blocks compressed into the archive, verified before deleted.

An active block is deleted only once the archive holds a copy that decodes to the very
same entries. A file already in the archive under its name (an archival cut short, or
something planted) is read first: its own copy completes the archival; anything else
is left where it is, as is the active block, and verification reports it.
"""

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from resync.core.audit.blocks import (
    ARCHIVE_DIR,
    BlockError,
    authenticated_header,
    compress_block,
    decode_block,
)
from resync.core.audit.files import atomic_write, fsync_directory, read_regular_file
from resync.core.audit.keys import KeyManager
from resync.core.audit.opening import BlockFile
from resync.core.audit.records import MAX_RECORD_BYTES

logger = logging.getLogger(__name__)


def archive_blocks(
    files: Sequence[BlockFile],
    active_dir: Path,
    archive_dir: Path,
    keys: KeyManager,
    older_than: float,
) -> int:
    """Archive the active *files* (in *active_dir*) created before *older_than*;
    how many were."""
    archived = 0
    for file in files:
        if file.archived:
            continue
        try:
            if _archive_block(file, archive_dir, keys, older_than):
                archived += 1
        except (OSError, BlockError) as exc:
            logger.warning("audit block %s not archived: %s", file.path.name, exc)
    if archived:
        fsync_directory(active_dir)
        logger.info("archived %d audit block(s)", archived)
    return archived


def _archive_block(
    file: BlockFile, archive_dir: Path, keys: KeyManager, older_than: float
) -> bool:
    header = authenticated_header(
        read_regular_file(file.path, MAX_RECORD_BYTES + 1), keys
    )
    if header.created_at >= older_than:
        return False
    if header.seq != file.seq:
        raise BlockError(f"it holds block {header.seq}: left where it is")
    data = read_regular_file(file.path)
    _, entries = decode_block(data, keys)
    target = archive_dir / file.path.name
    if not os.path.lexists(target):
        atomic_write(target, compress_block(data, keys))
    try:
        copy, copied = decode_block(read_regular_file(target), keys)
    except (OSError, BlockError) as exc:
        raise BlockError(
            f"{ARCHIVE_DIR}/{target.name} is not a copy of it ({exc}): both kept"
        ) from None
    if copy.seq != header.seq or copied != entries:
        raise BlockError(f"{ARCHIVE_DIR}/{target.name} holds other entries: both kept")
    file.path.unlink()
    return True
