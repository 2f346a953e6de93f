"""``codemods list`` and ``codemods explain``, rendered from each codemod's own docs."""

from __future__ import annotations

import json

from rich.markdown import Markdown
from rich.table import Table

from codemods.engine.reporting.terminal import Terminal
from codemods.engine.reporting.text import columns
from codemods.rules import registry
from codemods.rules.docs import all_docs, document


def list_codemods(terminal: Terminal, output_format: str) -> None:
    docs = all_docs()
    if output_format == "json":
        rows = [
            {
                "code": d.code,
                "name": d.name,
                "description": d.description,
                "fix_safety": d.fix_safety,
            }
            for d in docs
        ]
        terminal.data(json.dumps(rows, indent=2) + "\n")
        return
    cells = [(d.code, d.name, d.fix_safety, d.description) for d in docs]
    header = ("code", "name", "fix safety", "description")
    if not terminal.color:
        # Piped: plain aligned lines, no padding after the last column.
        terminal.data("".join(f"{line}\n" for line in columns([header, *cells])))
        return
    table = Table(box=None, pad_edge=False)
    for column in header:
        table.add_column(column)
    for row in cells:
        table.add_row(*row)
    terminal.out.print(table)


def explain(terminal: Terminal, wanted: str) -> bool:
    spec = registry.find(wanted)
    if spec is None:
        known = ", ".join(f"{s.code} ({s.name})" for s in registry.CODEMODS)
        terminal.message(
            f"codemods: error: unknown codemod {wanted!r}; known: {known}", "red"
        )
        return False
    page = document(spec).markdown()
    if terminal.color:
        terminal.out.print(Markdown(page))
    else:
        terminal.data(page)
    return True
