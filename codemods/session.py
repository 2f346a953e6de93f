"""One command-line invocation of ``run`` or ``check``: settings, run, report, exit code.

Kept out of ``cli.py`` so that the click commands stay declarations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemods import config
from codemods.engine import runner
from codemods.engine.reporting import github, json_report, sarif, text
from codemods.engine.reporting.terminal import Terminal
from codemods.engine.results import ExitCode, Summary
from codemods.transforms import registry

PROGRESS_THRESHOLD = 200


@dataclass(frozen=True)
class Invocation:
    paths: tuple[Path, ...]
    config_file: Path | None
    overrides: Mapping[str, Any]
    output_format: str
    jobs: int | None


def load_settings(invocation: Invocation) -> config.Settings:
    for path in invocation.paths:
        if not path.exists() and not path.is_symlink():
            raise config.ConfigError(f"{path}: no such file or directory")
    return config.load(
        list(invocation.paths),
        config_file=invocation.config_file,
        overrides=invocation.overrides,
    )


def execute(
    invocation: Invocation,
    terminal: Terminal,
    *,
    mode: runner.Mode,
    write: bool = False,
    safe_only: bool = False,
) -> int:
    """Run, report in the chosen format, and return the exit code."""
    try:
        settings = load_settings(invocation)
        request = runner.Request(
            paths=invocation.paths,
            settings=settings,
            mode=mode,
            write=write,
            want_diff=mode == "run",
            safe_only=safe_only,
            jobs=invocation.jobs,
        )
        show_progress = invocation.output_format == "text" and terminal.interactive
        with _progress(terminal, show_progress) as (on_start, on_result):
            summary = runner.run(request, on_start=on_start, on_result=on_result)
    except config.ConfigError as exc:
        terminal.message(f"codemods: error: {exc}", "red")
        return ExitCode.USAGE
    report(summary, invocation.output_format, terminal)
    return int(summary.return_code)


def report(summary: Summary, output_format: str, terminal: Terminal) -> None:
    names = {spec.code: spec.name for spec in registry.CODEMODS}
    if output_format == "json":
        terminal.data(json_report.render(summary))
    elif output_format == "sarif":
        from codemods.transforms.docs import all_docs

        terminal.data(sarif.render(summary, all_docs()))
    elif output_format == "github":
        terminal.data(github.render(summary, names))
    else:
        _report_text(summary, terminal, names)


def _report_text(summary: Summary, terminal: Terminal, names: dict[str, str]) -> None:
    for result in summary.results:
        if summary.mode == "run":
            text.diff(terminal, result)
        elif result.changed:
            terminal.data(f"{result.path}: would be changed by {', '.join(result.changed_by)}\n")
        text.findings(terminal, result, include_fixable=summary.mode == "check")
    for result in summary.results:
        text.error(terminal, result)
    safety = {}
    if summary.findings:
        from codemods.transforms.docs import all_docs

        safety = {doc.code: doc.fix_safety for doc in all_docs()}
    text.summary(terminal, summary, names, safety)


@contextmanager
def _progress(terminal: Terminal, enabled: bool) -> Iterator[tuple[Any, Any]]:
    if not enabled:
        yield None, None
        return
    from rich.progress import Progress

    with Progress(console=terminal.err, transient=True) as progress:
        task = progress.add_task("processing", total=None)

        def on_start(total: int) -> None:
            if total >= PROGRESS_THRESHOLD:
                progress.update(task, total=total)
            else:
                progress.stop()

        def on_result(_: object) -> None:
            progress.advance(task)

        yield on_start, on_result
