"""What a run produces: frozen, picklable records, and the exit code they imply."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Literal

Applicability = Literal["safe", "unsafe"]


class ExitCode(IntEnum):
    """Exit codes; when several apply the highest precedence wins (2 > 3 > 1 > 0)."""

    OK = 0
    INCOMPLETE = 1
    USAGE = 2
    FILE_ERRORS = 3


@dataclass(frozen=True, slots=True)
class Finding:
    """A legacy pattern seen by a codemod, at a 1-based line and column of the original file."""

    rule: str
    line: int
    col: int
    message: str
    fixable: bool
    applicability: Applicability = "unsafe"
    # Fixes sharing a group must be applied together (a signature and its callers).
    group: str | None = None


@dataclass(frozen=True, slots=True)
class FileError:
    """Why a file could not be processed; ``kind`` is read, decode, parse, internal,
    compile (its new text would not compile) or write."""

    kind: str
    message: str
    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome for one file. ``diff`` is set only when the caller asked for diffs."""

    path: str
    changed: bool = False
    findings: tuple[Finding, ...] = ()
    error: FileError | None = None
    diff: str | None = None
    # Codes of the codemods whose fixes changed the file, in the order they ran.
    changed_by: tuple[str, ...] = ()
    written: bool = False

    @property
    def pending(self) -> tuple[Finding, ...]:
        """Findings a person still has to act on (the fix was not applied)."""
        return tuple(f for f in self.findings if not f.fixable)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path discovery did not take, with the reason (a note, not an error)."""

    path: str
    reason: str


@dataclass(frozen=True)
class Summary:
    """Totals over a run; ``return_code`` alone decides the exit status."""

    results: tuple[FileResult, ...]
    skipped: tuple[Skipped, ...] = ()
    mode: Literal["check", "run"] = "check"
    usage_error: str | None = None
    stats: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        results: Iterable[FileResult],
        *,
        mode: Literal["check", "run"],
        skipped: Iterable[Skipped] = (),
        stats: dict[str, int] | None = None,
    ) -> Summary:
        return cls(
            results=tuple(sorted(results, key=lambda r: r.path)),
            skipped=tuple(sorted(skipped, key=lambda s: s.path)),
            mode=mode,
            stats=dict(stats or {}),
        )

    @property
    def files_scanned(self) -> int:
        return len(self.results)

    @cached_property
    def files_changed(self) -> int:
        return sum(1 for r in self.results if r.changed)

    @cached_property
    def findings(self) -> int:
        return sum(len(r.findings) for r in self.results)

    @cached_property
    def errors(self) -> int:
        return sum(1 for r in self.results if r.error is not None)

    @property
    def return_code(self) -> ExitCode:
        if self.usage_error is not None:
            return ExitCode.USAGE
        if self.errors:
            return ExitCode.FILE_ERRORS
        if self.mode == "check" and (self.files_changed or self.findings):
            return ExitCode.INCOMPLETE
        return ExitCode.OK
