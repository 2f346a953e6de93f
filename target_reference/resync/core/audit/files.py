"""Durable file writes: a temporary file in the same directory, fsync, os.replace."""

import os
import uuid
from pathlib import Path


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace *path* with *data* so readers see the old or the new file, never a mix.

    The temporary file is created with *mode* from the start (never widened later),
    flushed and fsynced before the rename, and the directory is fsynced after it.
    """
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in *directory* durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_private_directory(directory: Path) -> None:
    """Create *directory* (and parents) readable by the owner only, if missing."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
