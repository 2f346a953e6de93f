"""One file through the selected codemods: read once, parse once, compare, maybe write.

Pure per-file work, run inside worker processes (see ``pool``). Nothing here prints;
every failure becomes the file's ``FileError``.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.config import Settings
from codemods.engine.diffs import unified_diff
from codemods.engine.noqa import NoqaMap
from codemods.engine.results import FileError, FileResult, Finding
from codemods.engine.source import (
    LineMap,
    SourceError,
    check_nesting,
    decode,
    preserve,
    syntax_error,
)
from codemods.engine.writer import WriteError, write_atomic
from codemods.transforms import registry

if TYPE_CHECKING:
    from codemods.analysis.index import ProjectIndex


@dataclass(frozen=True)
class Job:
    """What to do with every file of a run; sent once to each worker."""

    settings: Settings
    want_diff: bool = False
    write: bool = False
    safe_only: bool = False
    codes: tuple[str, ...] = field(init=False)
    triggers: tuple[bytes, ...] = field(init=False)

    def __post_init__(self) -> None:
        specs = registry.select(self.settings.select, self.settings.ignore)
        object.__setattr__(self, "codes", tuple(spec.code for spec in specs))
        words = {word for spec in specs for word in spec.triggers(self.settings)}
        object.__setattr__(self, "triggers", tuple(sorted(words)))


@dataclass(frozen=True)
class Transformed:
    """The result of running codemods over one text."""

    text: str
    findings: tuple[Finding, ...]
    changed_by: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changed_by)


class TransformError(Exception):
    """A codemod failed or produced text that does not parse; names the codemod."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def process_file(
    path: Path, shown: str, job: Job, index: ProjectIndex | None = None
) -> FileResult:
    """Read, transform and (in write mode) replace one file; never raises."""
    try:
        with path.open("rb") as handle:
            stat_at_read = os.fstat(handle.fileno())
            raw = handle.read()
    except OSError as exc:
        return FileResult(shown, error=FileError("read", _os_reason(exc)))
    if not any(word in raw for word in job.triggers):
        return FileResult(shown)
    try:
        decoded = decode(raw)
        check_nesting(raw)
        outcome = transform_text(
            decoded.text,
            job.codes,
            job.settings,
            module_name=_module_name(path),
            index=index,
            safe_only=job.safe_only,
            filename=shown,
        )
    except SourceError as exc:
        return FileResult(
            shown, error=FileError(exc.kind, exc.message, exc.line, exc.col)
        )
    except TransformError as exc:
        return FileResult(
            shown, error=FileError("internal", exc.message, exc.line, exc.col)
        )
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
    if not job.write:
        return result
    try:
        write_atomic(path, decoded.encode(outcome.text), expected=stat_at_read)
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


def transform_text(
    text: str,
    codes: Sequence[str],
    settings: Settings,
    *,
    module_name: str | None = None,
    index: ProjectIndex | None = None,
    safe_only: bool = False,
    filename: str | None = None,
) -> Transformed:
    """Parse ``text`` once and run the codemods ``codes`` over it, in registry order.

    Raises ``SourceError`` when the text does not parse and ``TransformError`` when a
    codemod fails or its output does not parse.
    """
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    from codemods.transforms._base import Environment, run_codemod

    try:
        original = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = exc.message.splitlines()[0] if exc.message else "syntax error"
        raise syntax_error(text, message, exc.raw_line, exc.raw_column + 1) from None
    except RecursionError:
        raise SourceError("parse", "too deeply nested for LibCST to parse") from None

    module = original
    stage_text = text
    back_to_original: list[LineMap] = []
    findings: list[Finding] = []
    changed_by: list[str] = []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    for spec in registry.CODEMODS:
        if spec.code not in codes:
            continue
        environment = Environment(
            settings,
            noqa=NoqaMap.of(stage_text),
            module_name=module_name,
            index=index,
            safe_only=safe_only,
        )
        try:
            updated = run_codemod(spec.load(), wrapper, environment, filename)
        except RecursionError:
            raise TransformError(f"{spec.code} gave up: too deeply nested") from None
        except Exception as exc:
            raise TransformError(
                f"internal error in {spec.code} ({spec.name}): "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        findings.extend(_to_original(environment.findings, back_to_original))
        if environment.fixes_applied == 0 or updated.deep_equals(module):
            continue
        changed_by.append(spec.code)
        new_text = updated.code
        back_to_original.insert(0, LineMap(stage_text, new_text))
        module, stage_text = updated, new_text
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)

    if not changed_by:
        return Transformed(text, tuple(findings), ())
    final = preserve(text, original.code, stage_text)
    _check_parses(text, final, changed_by)
    return Transformed(final, tuple(sorted(findings, key=_order)), tuple(changed_by))


def _to_original(findings: Sequence[Finding], maps: Sequence[LineMap]) -> list[Finding]:
    if not maps:
        return list(findings)
    mapped: list[Finding] = []
    for finding in findings:
        line = finding.line
        for line_map in maps:
            line = line_map(line)
        mapped.append(_moved(finding, line))
    return mapped


def _moved(finding: Finding, line: int) -> Finding:
    if line == finding.line:
        return finding
    return Finding(
        finding.rule,
        line,
        finding.col,
        finding.message,
        finding.fixable,
        finding.applicability,
        finding.group,
    )


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.col, finding.rule


def _check_parses(before: str, after: str, changed_by: Sequence[str]) -> None:
    """The new text must be valid Python whenever the old one was."""
    try:
        ast.parse(after)
    except SyntaxError as exc:
        try:
            ast.parse(before)
        except SyntaxError:
            return
        raise TransformError(
            f"internal error in {', '.join(changed_by)}: the new text does not parse"
            f" ({exc.msg}); file left unchanged",
            exc.lineno or 1,
            exc.offset or 1,
        ) from None
    except (RecursionError, MemoryError):
        return


def _module_name(path: Path) -> str:
    from codemods.engine.discovery import module_name

    return module_name(path)


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return "is a directory" if isinstance(exc, IsADirectoryError) else reason.lower()
