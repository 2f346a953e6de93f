"""Output for people: diffs and findings on stdout; errors and a summary on stderr."""

from __future__ import annotations

from collections import Counter

from codemods.core.results import FileResult, Summary
from codemods.engine.reporting.terminal import Terminal, printable
from codemods.engine.reporting.words import plural


def diff(terminal: Terminal, result: FileResult) -> None:
    """One file's unified diff: highlighted on a terminal, verbatim otherwise."""
    if result.diff:
        # The header names the file: escaped like any name shown (git quotes it).
        old, new, body = result.diff.split("\n", 2)
        udiff(terminal, f"{printable(old)}\n{printable(new)}\n{body}")


def udiff(terminal: Terminal, text: str) -> None:
    """Unified diff text (a whole diff or one hunk) on stdout."""
    if terminal.color:
        from rich.syntax import Syntax  # only for a diff on a terminal: ~15 ms

        terminal.out.print(
            Syntax(text, "udiff", theme="ansi_dark", background_color="default")
        )
    else:
        terminal.data(text)


def findings(terminal: Terminal, result: FileResult, *, include_fixable: bool) -> None:
    """``path:line:col: CODE [*] message`` lines. As in Ruff, ``[*]`` marks only a
    safe fix (one that keeps the code's meaning); an unsafe fix is unmarked, and the
    totals table says how many of each a run applies."""
    for finding in result.findings:
        if finding.fixable and not include_fixable:
            continue
        marker = " [*]" if finding.fixable and finding.applicability == "safe" else ""
        terminal.data(
            f"{printable(result.path)}:{finding.line}:{finding.col}: {finding.rule}{marker} "
            f"{finding.message}\n"
        )


def error(terminal: Terminal, result: FileResult) -> None:
    if result.error is None:
        return
    e = result.error
    terminal.message(
        f"{result.path}:{e.line}:{e.col}: {e.kind} error: {e.message}", "red"
    )


def summary(terminal: Terminal, report: Summary, names: dict[str, str]) -> None:
    """Skipped paths, then a table of totals grouped by codemod and fix safety."""
    for skipped in report.skipped:
        terminal.message(f"{skipped.path}: skipped: {skipped.reason}", "yellow")
    # A codemod may mark a single fix safer or riskier than its default, so the
    # safety of a row is each finding's own applicability.
    fixes: Counter[tuple[str, str]] = Counter()
    pending: Counter[tuple[str, str]] = Counter()
    for result in report.results:
        for finding in result.findings:
            key = (finding.rule, finding.applicability)
            (fixes if finding.fixable else pending)[key] += 1
    if fixes or pending:
        _totals(terminal, report, names, fixes, pending)
    changed = "changed" if report.mode == "run" else "would change"
    written = sum(1 for r in report.results if r.written)
    if written:
        changed = f"changed ({written} written)"
    terminal.message(
        f"{plural(report.files_scanned, 'file')} scanned, "
        f"{report.files_changed} {changed}, {plural(report.findings, 'finding')}, "
        f"{plural(report.errors, 'error')}",
        "bold",
    )


def _totals(
    terminal: Terminal,
    report: Summary,
    names: dict[str, str],
    fixes: Counter[tuple[str, str]],
    pending: Counter[tuple[str, str]],
) -> None:
    fixed = "fixes" if report.mode == "run" else "fixable"
    header = ("codemod", "safety", fixed, "to decide")
    rows = [
        (
            f"{code} {names.get(code, '')}".strip(),
            safety,
            str(fixes[code, safety]),
            str(pending[code, safety]),
        )
        for code, safety in sorted(set(fixes) | set(pending))
    ]
    lines = columns([header, *rows], right_aligned=2)
    terminal.message(lines[0], "bold")
    for line in lines[1:]:
        terminal.message(line)


def columns(rows: list[tuple[str, ...]], *, right_aligned: int = 0) -> list[str]:
    """Rows as aligned text, two spaces apart, without trailing spaces; the last
    ``right_aligned`` columns flush right (numbers)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    left = len(widths) - right_aligned
    return [
        "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
