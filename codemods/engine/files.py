"""Reading one file of a run: its bytes once, whether they spell what is wanted, then
decoded as Python decodes it. Both sides read files: a worker before it parses, and
the parent of a small run, which sorts out the files that spell no trigger word itself.
Nothing here prints; a file that cannot be read or decoded gets its ``FileError``.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from codemods.core.results import FileError, FileResult
from codemods.core.source import (
    Decoded,
    SourceError,
    check_nesting,
    check_size,
    decode,
)
from codemods.engine.cache import Stamp, stamp_of
from codemods.engine.regular import read_regular
from codemods.engine.writer import Place, place_of


@dataclass(frozen=True)
class Loaded:
    """A file read and decoded; ``stat`` and ``place`` are what a write must still
    find on disk."""

    path: Path
    shown: str
    decoded: Decoded
    stat: os.stat_result
    place: Place | None = None


class Failure(Protocol):
    """Why a file has no result but an error (``SourceError``, ``TransformError``)."""

    kind: str
    message: str
    line: int
    col: int


def spells_any(words: Sequence[bytes]) -> Callable[[bytes], bool]:
    """Whether a file's bytes contain one of ``words`` (the trigger prefilter)."""
    return _as_python_reads(lambda raw: any(word in raw for word in words))


def spells_identifier(words: Sequence[bytes]) -> Callable[[bytes], bool]:
    """Whether a file's bytes contain one of ``words`` as a whole identifier."""
    alternatives = b"|".join(re.escape(word) for word in sorted(words))
    pattern = re.compile(rb"(?<![\w])(?:" + alternatives + rb")(?![\w])")
    return _as_python_reads(lambda raw: pattern.search(raw) is not None)


def _as_python_reads(spells: Callable[[bytes], bool]) -> Callable[[bytes], bool]:
    """``spells``, also asked of the NFKC form of a file that is not all ASCII:
    CPython normalises identifiers so, and runs ``asyncio.\uff43reate_task`` (a
    full-width c) as ``create_task``."""

    def wanted(raw: bytes) -> bool:
        if spells(raw):
            return True
        if raw.isascii():
            return False
        text = raw.decode("utf-8", errors="replace")
        return spells(unicodedata.normalize("NFKC", text).encode("utf-8"))

    return wanted


def load_file(
    path: Path,
    shown: str,
    wanted: Callable[[bytes], bool] | None,
    stamps: dict[Path, Stamp] | None = None,
) -> Loaded | FileResult:
    """The file decoded, or its result: clean when ``wanted`` does not want its bytes
    (None: take it whatever it holds), an error when it cannot be read or decoded.
    With ``stamps``, the stamp of the bytes read is recorded there (for the cache)."""
    try:
        read = read_regular(path)
    except OSError as exc:
        return FileResult(shown, error=FileError("read", _os_reason(exc)))
    assert read is not None, "read whatever its size"
    raw, stat_at_read = read
    if stamps is not None:
        stamps[path] = stamp_of(raw, stat_at_read)
    if wanted is not None and not wanted(raw):
        return FileResult(shown)
    try:
        check_size(raw)
        decoded = decode(raw)
        check_nesting(raw)
    except SourceError as exc:
        return error_result(shown, exc)
    try:
        place = place_of(path)
    except OSError as exc:
        return FileResult(shown, error=FileError("read", _os_reason(exc)))
    return Loaded(path, shown, decoded, stat_at_read, place)


def error_result(shown: str, failure: Failure) -> FileResult:
    return FileResult(
        shown, error=FileError(failure.kind, failure.message, failure.line, failure.col)
    )


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link, not followed"
    reason = exc.strerror or str(exc)
    return "is a directory" if isinstance(exc, IsADirectoryError) else reason.lower()
