"""A dry run's changed files as hunks to review: who made each, and the text it fits.

Each hunk is attributed to the codemods whose fixable findings fall in it (the file's
``changed_by`` when none does, e.g. a parameter added for a fix elsewhere), and carries
the ``group`` keys of those findings: fixes that must be applied together or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from codemods.core.results import FileResult, Finding, Summary
from codemods.core.source import SourceError, decode
from codemods.engine.writer import Place, place_of
from codemods.review.hunks import DiffError, Hunk, Mismatch, apply, parse


@dataclass(frozen=True)
class Change:
    """One hunk and what produced it."""

    hunk: Hunk
    codes: tuple[str, ...]
    groups: frozenset[str]
    # The fix safety ("safe", "unsafe") of the fixes it holds, when any says.
    safety: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileChanges:
    """A changed file: its hunks and the text, encoding and stat they apply to.

    ``problem`` is set (and ``text`` empty) when the file cannot be reviewed, e.g. it
    changed on disk since the dry run.
    """

    shown: str
    changes: tuple[Change, ...]
    text: str = ""
    encoding: str = "utf-8"
    stat: os.stat_result | None = None
    problem: str | None = None
    # Its directory when it was read: the write must land there (``writer.Place``).
    place: Place | None = None

    @property
    def path(self) -> Path:
        # Shown paths are relative to the working directory (or absolute): the run's.
        return Path(self.shown)

    @property
    def hunks(self) -> tuple[Hunk, ...]:
        return tuple(change.hunk for change in self.changes)

    def apply(self, accepted: Collection[int]) -> str:
        return apply(self.text, self.hunks, accepted)


def changed_files(summary: Summary) -> list[FileChanges]:
    """Every file of the dry run with a diff, in the run's (sorted) order."""
    return [
        load(result) for result in summary.results if result.changed and result.diff
    ]


def load(result: FileResult) -> FileChanges:
    """The file's hunks, checked against the file as it is now on disk."""
    assert result.diff is not None
    try:
        hunks = parse(result.diff).hunks
    except DiffError as exc:
        return FileChanges(result.path, (), problem=f"unreadable diff: {exc}")
    changes = attribute(result, hunks)
    try:
        place = place_of(Path(result.path))
        with Path(result.path).open("rb") as handle:
            stat = os.fstat(handle.fileno())
            raw = handle.read()
        decoded = decode(raw)
        apply(decoded.text, hunks, ())
    except OSError as exc:
        return FileChanges(result.path, changes, problem=f"cannot read: {exc.strerror}")
    except (SourceError, Mismatch):
        return FileChanges(
            result.path, changes, problem="file changed since the dry run"
        )
    return FileChanges(
        result.path, changes, decoded.text, decoded.encoding, stat, place=place
    )


def attribute(result: FileResult, hunks: Sequence[Hunk]) -> tuple[Change, ...]:
    """Each hunk with the codes and groups of the fixable findings it holds."""
    owned: list[list[Finding]] = [[] for _ in hunks]
    for finding in result.findings:
        if finding.fixable:
            at = _hunk_of(finding.line, hunks)
            if at is not None:
                owned[at].append(finding)
    changes = []
    for hunk, findings in zip(hunks, owned, strict=True):
        codes = _in_run_order([f.rule for f in findings], result.changed_by)
        groups = frozenset(f.group for f in findings if f.group is not None)
        safety = tuple(sorted({f.applicability for f in findings}))
        changes.append(Change(hunk, codes or result.changed_by, groups, safety))
    return tuple(changes)


def _hunk_of(line: int, hunks: Sequence[Hunk]) -> int | None:
    """The hunk whose changed lines hold ``line``, else the one whose context does."""
    for number, hunk in enumerate(hunks):
        first, last = hunk.changed_span()
        if first <= line <= last:
            return number
    for number, hunk in enumerate(hunks):
        if hunk.first_old < line <= hunk.first_old + max(hunk.old_count, 1):
            return number
    return None


def _in_run_order(codes: Sequence[str], changed_by: Sequence[str]) -> tuple[str, ...]:
    wanted = set(codes)
    ordered = [code for code in changed_by if code in wanted]
    return tuple(ordered + sorted(wanted - set(ordered)))
