"""Replacing a file so that, whatever happens, it is either fully old or fully new."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

# Temporary files never end in .py, so a run killed mid-write leaves nothing that a later
# run would take for source.
TEMP_SUFFIX = ".codemods-tmp"


class WriteError(Exception):
    """The file was left as it was; the message says why."""


def write_atomic(path: Path, data: bytes, *, expected: os.stat_result) -> None:
    """Replace ``path`` with ``data``: temp file in the same directory, fsync, rename.

    ``expected`` is the file's stat when it was read: if the file changed since, or is not
    writable, nothing is written. Permission bits (and owner, where allowed) are kept.
    """
    try:
        current = os.stat(path)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}") from None
    if (current.st_size, current.st_mtime_ns) != (
        expected.st_size,
        expected.st_mtime_ns,
    ):
        raise WriteError("file changed during the run; not written")
    if not os.access(path, os.W_OK) or not current.st_mode & stat.S_IWUSR:
        raise WriteError("file is read-only; not written")
    try:
        fd, temp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX
        )
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(current.st_mode))
        with contextlib.suppress(OSError):
            os.chown(temp, current.st_uid, current.st_gid)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write: {exc.strerror}") from None
        raise
    _fsync_directory(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create or replace ``path`` (a file the tool makes, such as a patch) with
    ``data`` as a whole: a reader, or a run killed meanwhile, sees the old file or the
    new one. Raises ``OSError``."""
    fd, temp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes it private; a patch is as readable as any file the user makes.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
