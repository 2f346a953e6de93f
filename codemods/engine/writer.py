"""Replacing a file so that, whatever happens, it is either fully old or fully new, and
only ever the file that was read: never one a swapped-in symbolic link leads to."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from codemods.engine.paths import TEMP_SUFFIX

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


# Temporary files being written by this process (directory descriptor, name): a worker
# told to stop (SIGTERM, or its run's main process gone) removes them before it exits.
_IN_FLIGHT: set[tuple[int, str]] = set()
_IN_FLIGHT_LOCK = threading.Lock()


def remove_temporaries() -> None:
    """Remove the temporary files this process is writing. For a worker's signal
    handler or watch thread, which exits right after: never from the thread that
    writes (in the main process, an interruption is an exception, and the write's own
    cleanup removes its file)."""
    with _IN_FLIGHT_LOCK:
        for directory, name in _IN_FLIGHT:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=directory)


class WriteError(Exception):
    """The file was left as it was; the message says why."""


@dataclass(frozen=True, slots=True)
class Place:
    """The directory a file was read in: its real path, device and inode."""

    real: str
    device: int
    inode: int


def place_of(path: Path) -> Place:
    """Where ``path`` is now (raises ``OSError``); recorded when a file is read, so that
    its write can prove it lands in the same directory."""
    real = os.path.realpath(path.parent)
    found = os.stat(real)
    return Place(real, found.st_dev, found.st_ino)


def write_atomic(
    path: Path, data: bytes, *, expected: os.stat_result, place: Place | None = None
) -> None:
    """Replace ``path`` with ``data``: temp file in the same directory, fsync, rename.

    ``expected`` is the file's stat when it was read, ``place`` its directory then. The
    directory is opened once and everything after goes through that descriptor, so a
    directory swapped for a link meanwhile cannot redirect the write. Nothing is written
    unless the directory is still ``place`` (real path, device, inode), the name in it
    is still the very file read (a regular file, same device, inode, size and mtime)
    and it is writable. Permission bits (and owner, where allowed) are kept.
    """
    try:
        directory = os.open(path.parent, _DIRECTORY_FLAGS)
    except OSError as exc:
        raise WriteError(f"cannot write: {_reason(exc)}") from None
    try:
        current = _check(path, directory, expected, place)
        _replace(directory, path.name, data, current)
    finally:
        os.close(directory)


def _check(
    path: Path, directory: int, expected: os.stat_result, place: Place | None
) -> os.stat_result:
    """The file's stat now, if writing it is still writing what was read."""
    if place is not None:
        held = os.fstat(directory)
        if (held.st_dev, held.st_ino) != (place.device, place.inode) or (
            os.path.realpath(path.parent) != place.real
        ):
            raise WriteError("directory replaced during the run; not written")
    try:
        current = os.stat(path.name, dir_fd=directory, follow_symlinks=False)
    except OSError as exc:
        raise WriteError(f"cannot write: {_reason(exc)}") from None
    if not stat.S_ISREG(current.st_mode) or (current.st_dev, current.st_ino) != (
        expected.st_dev,
        expected.st_ino,
    ):
        raise WriteError("file replaced during the run; not written")
    if (current.st_size, current.st_mtime_ns) != (
        expected.st_size,
        expected.st_mtime_ns,
    ):
        raise WriteError("file changed during the run; not written")
    writable = os.access(path.name, os.W_OK, dir_fd=directory, follow_symlinks=False)
    if not writable or not current.st_mode & stat.S_IWUSR:
        raise WriteError("file is read-only; not written")
    return current


def _replace(directory: int, name: str, data: bytes, current: os.stat_result) -> None:
    """Write ``data`` to a new file beside ``name`` in ``directory``, then rename it
    over ``name``; the temporary file is removed on any failure or interruption."""
    temp = f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    in_flight = (directory, temp)
    with _IN_FLIGHT_LOCK:
        _IN_FLIGHT.add(in_flight)
    try:
        _write_temp(directory, name, temp, data, current)
    finally:
        with _IN_FLIGHT_LOCK:
            _IN_FLIGHT.discard(in_flight)


def _write_temp(
    directory: int, name: str, temp: str, data: bytes, current: os.stat_result
) -> None:
    try:
        fd = os.open(temp, _TEMP_FLAGS, 0o600, dir_fd=directory)
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), stat.S_IMODE(current.st_mode))
            with contextlib.suppress(OSError):
                os.fchown(handle.fileno(), current.st_uid, current.st_gid)
        os.replace(temp, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=directory)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write: {_reason(exc)}") from None
        raise
    with contextlib.suppress(OSError):
        os.fsync(directory)  # the rename itself durable (where the platform allows)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


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
