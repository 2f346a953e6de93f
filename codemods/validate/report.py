"""The validation report: the details of each failing gate, then a table of the gates
(stdout), then a one-line verdict (stderr); or one JSON document for CI (a list of
them for the bundled apps)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table

from codemods.engine.reporting.terminal import Terminal
from codemods.engine.reporting.text import udiff
from codemods.validate.results import GateResult

STYLES = {"passed": "green", "failed": "red", "skipped": "yellow"}
JSON_VERSION = 1


def ok(results: Sequence[GateResult]) -> bool:
    return all(result.status != "failed" for result in results)


def text(
    terminal: Terminal, results: Sequence[GateResult], hint: str | None = None
) -> None:
    for result in results:
        if result.status == "failed" and result.details:
            terminal.data(f"== {result.title}: {result.summary}\n")
            # Reference and idempotency details are diffs: coloured on a terminal.
            if result.gate in ("reference", "parse"):
                udiff(terminal, result.details)
            else:
                terminal.data(result.details)
    table = Table(box=box.SIMPLE, show_edge=False, pad_edge=False)
    table.add_column("gate", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("summary")
    for result in results:
        table.add_row(
            result.title,
            result.status,
            result.summary,
            style=STYLES[result.status] if terminal.color else None,
        )
    terminal.out.print(table)
    terminal.message(*verdict(results))
    if hint is not None:
        terminal.message(hint, "yellow")


def verdict(results: Sequence[GateResult]) -> tuple[str, str]:
    """The one-line verdict and its style; it names the gates that did not run, so a
    pass with gates skipped never reads as a full pass."""
    failures = sum(1 for result in results if result.status == "failed")
    skipped = [result for result in results if result.status == "skipped"]
    if failures:
        line, style = f"validation failed: {failures} of {len(results)} gates", "red"
    elif skipped:
        line = (
            f"validation passed {len(results) - len(skipped)} of {len(results)} gates"
        )
        style = "yellow"
    else:
        return "validation passed", "green"
    if skipped:
        names = ", ".join(result.title for result in skipped)
        line += f"; skipped, not configured in [tool.codemods.validate]: {names}"
    return line, style


def as_json(
    terminal: Terminal, documents: Sequence[dict[str, Any]], *, listed: bool
) -> None:
    """The one document of a PATH, or (``listed``) the list of the bundled apps'."""
    shown = list(documents) if listed else documents[0]
    terminal.data(json.dumps(shown, indent=2) + "\n")


def document(
    path: Path,
    codes: Sequence[str],
    results: Sequence[GateResult],
    hint: str | None = None,
) -> dict[str, Any]:
    """The JSON document of one validated tree."""
    return {
        "version": JSON_VERSION,
        "path": str(path),
        "codemods": list(codes),
        "passed": ok(results),
        "skipped": [r.gate for r in results if r.status == "skipped"],
        "hint": hint,
        "gates": [
            {
                "gate": result.gate,
                "title": result.title,
                "status": result.status,
                "summary": result.summary,
                "details": result.details,
            }
            for result in results
        ],
    }
