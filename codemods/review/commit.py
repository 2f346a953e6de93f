"""Writing what a reviewer accepted: decided for the whole run, written per file."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codemods.engine.writer import WriteError, write_atomic
from codemods.review.changes import FileChanges
from codemods.review.decide import resolve


@dataclass(frozen=True)
class Outcome:
    """What became of one file's hunks."""

    shown: str
    applied: int
    skipped: int
    refused: int
    reason: str | None = None
    # The write itself failed (the reason says why): an error, not a refusal.
    failed: bool = False


def commit(
    files: Sequence[FileChanges], accepted: Mapping[str, set[int]]
) -> list[Outcome]:
    """Write every file whose accepted hunks may be written; one outcome per file."""
    # A file edited while the reviewer was reading is refused before anything is
    # written, so that a group it belongs to is refused in every file.
    files = [_recheck(file) if accepted.get(file.shown) else file for file in files]
    resolution = resolve(files, accepted)
    failed: dict[str, str] = {}
    for file in files:
        data = resolution.writes.get(file.shown)
        if data is None:
            continue
        assert file.stat is not None
        try:
            write_atomic(file.path, data, expected=file.stat, place=file.place)
        except WriteError as exc:
            failed[file.shown] = str(exc)
    outcomes = []
    for file in files:
        taken = len(accepted.get(file.shown, ()))
        skipped = len(file.changes) - taken
        reason = resolution.refused.get(file.shown) or failed.get(file.shown)
        if reason is None and not taken:
            outcomes.append(Outcome(file.shown, 0, skipped, 0, file.problem))
        elif reason is None:
            outcomes.append(Outcome(file.shown, taken, skipped, 0))
        else:
            error = file.shown in failed
            outcomes.append(Outcome(file.shown, 0, skipped, taken, reason, error))
    return outcomes


def _recheck(file: FileChanges) -> FileChanges:
    if file.problem is not None or file.stat is None:
        return file
    try:
        now = os.stat(file.path)
    except OSError as exc:
        return dataclasses.replace(file, problem=f"cannot read: {exc.strerror}")
    if (now.st_size, now.st_mtime_ns) != (file.stat.st_size, file.stat.st_mtime_ns):
        return dataclasses.replace(file, problem="file changed during the review")
    if not os.access(file.path, os.W_OK):
        # Caught here, not by the write, so that no other file of its group is written.
        return dataclasses.replace(file, problem="file is read-only")
    return file
