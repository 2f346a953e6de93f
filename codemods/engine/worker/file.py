"""One file through the selected codemods: read once, parse once, compare, maybe write.

Pure per-file work, run inside worker processes (see ``pool``). Nothing here prints;
every failure becomes the file's ``FileError``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.analysis.relevance import Relevance, judge
from codemods.engine.cache import Stamp, stamp_of
from codemods.core.diffs import unified_diff
from codemods.engine.job import Job
from codemods.core.results import FileError, FileResult
from codemods.core.source import (
    Decoded,
    SourceError,
    check_nesting,
    check_size,
    decode,
)
from codemods.engine.worker.transform import (
    Parsed,
    Transformed,
    TransformError,
    parse_for,
    parse_text,
    transform_module,
    transform_text,
)
from codemods.engine.writer import WriteError, write_atomic

if TYPE_CHECKING:
    from codemods.analysis.index import ProjectIndex

# Also the engine's entry points for one text (tests and other modules import them).
__all__ = [
    "Job",
    "Loaded",
    "Parsed",
    "TransformError",
    "Transformed",
    "file_result",
    "judged",
    "load_file",
    "parse_for",
    "parse_text",
    "process_file",
    "transform_module",
    "transform_text",
]


@dataclass(frozen=True)
class Loaded:
    """A file read and decoded; ``stat`` is what a write must still find on disk."""

    path: Path
    shown: str
    decoded: Decoded
    stat: os.stat_result
    # What its ``ast`` says about the selected codemods (None: not asked).
    relevance: Relevance | None = None


def process_file(
    path: Path, shown: str, job: Job, index: ProjectIndex | None = None
) -> FileResult:
    """Read, transform and (in write mode) replace one file; never raises."""
    loaded = load_file(path, shown, spells_any(job.triggers) if job.prefilter else None)
    if not isinstance(loaded, Loaded):
        return loaded
    if job.prefilter:
        loaded = judged(loaded, job)
        if loaded.relevance is not None and not loaded.relevance.codes:
            return FileResult(shown)
    try:
        outcome = transform_text(
            loaded.decoded.text,
            job.codes,
            job.settings,
            module_name=module_name_of(path),
            index=index,
            safe_only=job.safe_only,
            filename=shown,
            only_triggered=job.prefilter,
            relevance=loaded.relevance,
        )
    except (SourceError, TransformError) as exc:
        return error_result(shown, exc)
    return file_result(loaded, outcome, job, write=job.write)


def judged(loaded: Loaded, job: Job) -> Loaded:
    """``loaded`` with what its ``ast`` says about the selected codemods (none concern
    it when its trigger words are only in strings or comments)."""
    relevance = judge(loaded.decoded.text, job.codes, job.settings)
    return replace(loaded, relevance=relevance)


def spells_any(words: Sequence[bytes]) -> Callable[[bytes], bool]:
    """Whether a file's bytes contain one of ``words`` (the trigger prefilter)."""
    return lambda raw: any(word in raw for word in words)


def spells_identifier(words: Sequence[bytes]) -> Callable[[bytes], bool]:
    """Whether a file's bytes contain one of ``words`` as a whole identifier."""
    alternatives = b"|".join(re.escape(word) for word in sorted(words))
    pattern = re.compile(rb"(?<![\w])(?:" + alternatives + rb")(?![\w])")
    return lambda raw: pattern.search(raw) is not None


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
        with path.open("rb") as handle:
            stat_at_read = os.fstat(handle.fileno())
            raw = handle.read()
    except OSError as exc:
        return FileResult(shown, error=FileError("read", _os_reason(exc)))
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
    return Loaded(path, shown, decoded, stat_at_read)


def error_result(shown: str, exc: SourceError | TransformError) -> FileResult:
    kind = exc.kind if isinstance(exc, SourceError) else "internal"
    return FileResult(shown, error=FileError(kind, exc.message, exc.line, exc.col))


def file_result(
    loaded: Loaded, outcome: Transformed, job: Job, *, write: bool
) -> FileResult:
    """The result of ``outcome``, written to disk first when ``write`` and changed."""
    shown, decoded = loaded.shown, loaded.decoded
    if not outcome.changed:
        return FileResult(shown, findings=outcome.findings)
    diff = unified_diff(decoded.text, outcome.text, shown) if job.want_diff else None
    result = FileResult(
        shown,
        changed=True,
        findings=outcome.findings,
        diff=diff,
        changed_by=outcome.changed_by,
    )
    if not write:
        return result
    try:
        write_atomic(loaded.path, decoded.encode(outcome.text), expected=loaded.stat)
    except UnicodeEncodeError as exc:
        message = f"new text cannot be encoded as {decoded.encoding}: {exc.reason}"
        return FileResult(
            shown, findings=outcome.findings, error=FileError("write", message)
        )
    except WriteError as exc:
        return FileResult(
            shown, findings=outcome.findings, error=FileError("write", str(exc))
        )
    return FileResult(
        shown,
        changed=True,
        findings=outcome.findings,
        diff=diff,
        changed_by=outcome.changed_by,
        written=True,
    )


def module_name_of(path: str | Path) -> str:
    from codemods.engine.discovery import module_name

    return module_name(path)


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return "is a directory" if isinstance(exc, IsADirectoryError) else reason.lower()
