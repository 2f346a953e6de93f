"""What ``run --interactive``, ``run --patch`` and ``check --add-noqa`` do after a run.

Each step takes the run's ``Summary`` and returns the exit code; ``session`` calls one
of them instead of (or, for a dry-run patch, after) its plain report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from codemods.core.results import ExitCode, Summary
from codemods.engine.reporting import text
from codemods.engine.reporting.terminal import Terminal
from codemods.engine.reporting.words import plural
from codemods.review import patch
from codemods.review.changes import FileChanges, changed_files
from codemods.review.commit import commit
from codemods.review.interactive import Ask, ask_stdin, review, summarize
from codemods.review.noqa_edit import add_noqa

# Exit codes from the most to the least important (README: 2 > 3 > 1 > 0).
_PRECEDENCE = (ExitCode.USAGE, ExitCode.FILE_ERRORS, ExitCode.INCOMPLETE, ExitCode.OK)


def worst(*codes: ExitCode) -> ExitCode:
    return min(codes, key=_PRECEDENCE.index)


def interactive(
    summary: Summary,
    terminal: Terminal,
    names: Mapping[str, str],
    patch_file: Path | None = None,
    ask: Ask | None = None,
) -> ExitCode:
    """Review every hunk, write what was accepted, and report file by file."""
    files = changed_files(summary)
    accepted = review(files, terminal, ask or ask_stdin(terminal), names)
    outcomes = commit(files, accepted)
    _leftovers(summary, terminal)
    summarize(terminal, outcomes)
    code = summary.return_code
    if any(outcome.failed for outcome in outcomes):
        code = worst(code, ExitCode.FILE_ERRORS)
    if patch_file is not None:
        applied = {o.shown for o in outcomes if o.applied}
        chosen = [(f, accepted[f.shown]) for f in files if f.shown in applied]
        code = worst(code, _save(patch_file, chosen, terminal))
    return code


def dry_run_patch(summary: Summary, terminal: Terminal, patch_file: Path) -> ExitCode:
    """The whole dry run as one patch."""
    chosen = [(f, set(range(len(f.changes)))) for f in changed_files(summary)]
    return _save(patch_file, chosen, terminal)


def _save(
    patch_file: Path, chosen: Iterable[tuple[FileChanges, set[int]]], terminal: Terminal
) -> ExitCode:
    sections: list[bytes] = []
    left_out: list[str] = []
    root = patch.repository_root()
    for file, hunks in chosen:
        try:
            if file.problem is not None:
                raise patch.PatchError(file.problem)
            new = file.apply(hunks)
            name = patch.patch_name(file.shown, root)
            sections.append(patch.section(name, file.text, new, file.encoding))
        except patch.PatchError as exc:
            left_out.append(f"{file.shown}: not in the patch: {exc}")
    try:
        count = patch.save(patch_file, sections)
    except OSError as exc:
        terminal.message(
            f"codemods: error: cannot write {patch_file}: {exc.strerror}", "red"
        )
        return ExitCode.FILE_ERRORS
    for line in left_out:
        terminal.message(line, "red")
    terminal.message(
        f"patch for {plural(count, 'file')} written to {patch_file}", "bold"
    )
    return ExitCode.FILE_ERRORS if left_out else ExitCode.OK


def add_noqa_step(summary: Summary, terminal: Terminal) -> ExitCode:
    """Suppress every finding where it is reported."""
    done = [add_noqa(result) for result in summary.results if result.findings]
    for result in summary.results:
        text.error(terminal, result)
    for added in done:
        for skipped in added.skipped:
            terminal.message(f"{added.shown}: {skipped}: no noqa added", "yellow")
        if added.error is not None:
            terminal.message(f"{added.shown}: {added.error}", "red")
    directives = sum(a.directives for a in done)
    files = sum(1 for a in done if a.directives)
    terminal.message(
        f"added {plural(directives, 'noqa directive')} to {plural(files, 'file')}",
        "bold",
    )
    # A finding left unsuppressed keeps the gate red (1); a file not written is 3.
    return worst(
        ExitCode.FILE_ERRORS if summary.errors else ExitCode.OK,
        ExitCode.FILE_ERRORS if any(a.error is not None for a in done) else ExitCode.OK,
        ExitCode.INCOMPLETE if any(a.skipped for a in done) else ExitCode.OK,
    )


def _leftovers(summary: Summary, terminal: Terminal) -> None:
    """What the review cannot settle: findings a person must decide, and errors."""
    for result in summary.results:
        text.findings(terminal, result, include_fixable=False)
    for result in summary.results:
        text.error(terminal, result)
