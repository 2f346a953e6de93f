"""Reading a file only if it is a regular file: a symbolic link swapped in for it is not
followed, and a FIFO, socket or device is neither read nor waited on."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def read_regular(
    path: Path | str, size: int | None = None
) -> tuple[bytes, os.stat_result] | None:
    """The bytes of ``path`` and its stat as read; ``OSError`` unless it is a regular
    file (ELOOP for a link, EISDIR for a directory). With ``size``: None, unread, when
    the file has another size."""
    fd = os.open(path, _READ_FLAGS)
    try:
        found = os.fstat(fd)
        if stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if not stat.S_ISREG(found.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if size is not None and found.st_size != size:
            return None
        # os.read, not a file object: a warm run reads every file of the tree.
        raw = os.read(fd, found.st_size + 1)
        if len(raw) == found.st_size:
            return raw, found  # the whole file, in one call
        chunks = [raw]
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks), found
    finally:
        os.close(fd)
