"""Reading a file only if it is a regular file: a symbolic link swapped in for it is not
followed, and a FIFO, socket or device is neither read nor waited on."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def read_regular(path: Path | str) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` and its stat as read; ``OSError`` unless it is a regular
    file (ELOOP for a link, EISDIR for a directory)."""
    fd = os.open(path, _READ_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        found = os.fstat(fd)
        if stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if not stat.S_ISREG(found.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read(), found
