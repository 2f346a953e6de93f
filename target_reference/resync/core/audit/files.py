"""Files of the audit trail: durable writes (a temporary file in the same directory,
fsync, os.replace), careful reads of files others may have planted, and private modes
(0700 directories, 0600 files), enforced on what already exists too."""

import os
import stat
import uuid
from pathlib import Path

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


def atomic_write(path: Path, data: bytes, *, mode: int = PRIVATE_FILE) -> None:
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


def read_regular_file(path: Path, limit: int = -1) -> bytes:
    """The bytes of *path* (at most *limit*, when not negative).

    ``OSError`` unless it is a regular file: a symbolic link is not followed and a FIFO
    or device is never waited on.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return stream.read(limit)


def ensure_private_directory(directory: Path) -> None:
    """Create *directory* and its missing parents 0700; make it 0700 if it exists.

    ``OSError`` (naming the directory) if it cannot be made private.
    """
    missing = []
    for level in (directory, *directory.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        level.mkdir(mode=PRIVATE_DIRECTORY, exist_ok=True)
    for level in (directory, *missing):
        make_private(level, PRIVATE_DIRECTORY)


def ensure_private_file(path: Path) -> None:
    """Create *path* empty and 0600 if missing; make it 0600 if it exists."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    make_private(path, PRIVATE_FILE)


def make_private(path: Path, mode: int) -> None:
    """Give *path* exactly *mode* unless it already has it (mkdir/open apply the
    umask, and what existed before was made by someone else)."""
    if stat.S_IMODE(os.stat(path).st_mode) != mode:
        os.chmod(path, mode)
