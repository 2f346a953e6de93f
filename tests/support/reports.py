"""Reports (findings, diffs, errors) of the whole engine on fixed inputs, kept as a
snapshot so that a change meant only to make the tool faster can be shown to say the
same as before (``tests/test_same_reports.py``).

The inputs: every codemod's golden cases (its one-file cases side by side in a tree,
and each tree case), the legacy app and herald (``fixtures/realistic_app``) with every
codemod. Run ``python -m tests.support.reports`` to write the snapshot anew, after a
change that is meant to change what the tool says (a rule's new finding), and read its
diff before committing it.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from codemods.core.settings import Settings
from codemods.engine.parent import runner
from codemods.rules import registry
from tests.support.golden import REPO, settings_for, tree_cases, tree_settings

SNAPSHOT = REPO / "tests" / "data" / "reports.json"
APPS = ("fixtures/legacy_app", "fixtures/realistic_app")


def inputs(scratch: Path) -> Iterator[tuple[str, Path, Settings]]:
    """(name, tree, settings) of every input, the one-file cases copied to ``scratch``."""
    for spec in registry.CODEMODS:
        befores = sorted(spec.cases.glob("*.before.py"))
        if befores:
            tree = scratch / spec.code
            tree.mkdir()
            for before in befores:
                shutil.copyfile(before, tree / before.name.replace(".before", ""))
            yield f"cases/{spec.code}", tree, settings_for(spec.code)
    for case in tree_cases():
        yield f"tree/{case.id}", case.root / "before", tree_settings(case)
    every = Settings(select=tuple(spec.code for spec in registry.CODEMODS))
    for app in APPS:
        yield app, REPO / app, every


def report(tree: Path, settings: Settings) -> list[dict[str, Any]]:
    """What a check with diffs run in ``tree`` says of it, file by file, sorted by
    path (paths relative to the tree, wherever it is)."""
    request = runner.Request(
        (Path("."),), replace(settings, root=str(tree)), want_diff=True, jobs=2
    )
    with contextlib.chdir(tree):
        summary = runner.run(request)
    return [
        {
            "path": result.path,
            "changed_by": list(result.changed_by),
            "findings": [
                [f.rule, f.line, f.col, f.message, f.fixable, f.applicability, f.group]
                for f in result.findings
            ],
            "error": None if result.error is None else str(result.error),
            "diff": result.diff,
        }
        for result in sorted(summary.results, key=lambda result: result.path)
        if result.findings or result.error is not None or result.diff
    ]


def reports() -> dict[str, list[dict[str, Any]]]:
    """Every input's report, by the input's name."""
    with tempfile.TemporaryDirectory(prefix="codemods-reports-") as scratch:
        return {
            name: report(tree, settings)
            for name, tree, settings in inputs(Path(scratch))
        }


def main() -> None:
    SNAPSHOT.parent.mkdir(exist_ok=True)
    text = json.dumps(reports(), indent=1, sort_keys=True) + "\n"
    SNAPSHOT.write_text(text, encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(REPO)} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
