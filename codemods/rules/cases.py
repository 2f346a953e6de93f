"""Golden cases: what a codemod does to code, stated as data next to it
(``codemods/rules/<name>/cases/``), both documentation and tests.

A case is a file pair ``<case>.before.py`` + ``<case>.after.py`` (no ``.after.py``: the
codemod must leave it byte-identical), or a directory ``<case>/`` holding a ``before/``
tree and an ``after/`` tree (files missing from ``after/`` must stay unchanged), for
codemods whose changes cross files. Beside it, ``<case>.toml`` (``<case>/codemods.toml``
for a tree) states, as Fixit's VALID/INVALID examples do, what the codemod reports:

    title = "A buffer that is also indexed (reported, not changed)"
    findings = [
      { code = "TG004", line = 8, col = 9, fixable = false },
    ]

    [tool.codemods]   # the case's own configuration, if any
    trackers = ["app.jobs.spawn_later"]

A tree case's findings also name their file (``path = "app/main.py"``). The cases a
spec lists in ``examples`` are what ``codemods explain`` shows.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemods.rules.specs import CodemodSpec

TREE_TABLE = "codemods.toml"


@dataclass(frozen=True)
class Expected:
    """A finding a case states: where (1-based), by which codemod, fixed or not."""

    code: str
    line: int
    col: int
    fixable: bool
    # The file of a tree case, relative to its ``before/`` tree.
    path: str | None = None


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    # The ``.before.py`` file, or a tree case's ``before/``.
    before: Path
    # The ``.after.py`` file (None: must stay unchanged), or a tree case's ``after/``.
    after: Path | None
    # The case's ``.toml`` (None: it has none).
    table_file: Path | None

    @property
    def id(self) -> str:
        return f"{self.code}/{self.name}"

    @property
    def is_tree(self) -> bool:
        return self.before.is_dir()

    @property
    def root(self) -> Path:
        """A tree case's directory (holding ``before/`` and ``after/``)."""
        return self.before.parent

    def read(self) -> dict[str, Any]:
        if self.table_file is None or not self.table_file.is_file():
            return {}
        with self.table_file.open("rb") as handle:
            return tomllib.load(handle)

    @property
    def configuration(self) -> Mapping[str, Any]:
        """Its ``[tool.codemods]`` table (empty: the defaults)."""
        table: Mapping[str, Any] = self.read().get("tool", {}).get("codemods", {})
        return table

    @property
    def title(self) -> str:
        return str(self.read().get("title", self.name.replace("_", " ")))

    @property
    def findings(self) -> tuple[Expected, ...] | None:
        """The findings it states, in report order (None: it states none)."""
        stated = self.read().get("findings")
        if stated is None:
            return None
        return tuple(Expected(**entry) for entry in stated)


def cases_of(spec: CodemodSpec) -> list[Case]:
    """Every golden case of the codemod ``spec``: file cases, then tree cases."""
    folder = spec.cases
    if not folder.is_dir():
        return []
    found = []
    for before in sorted(folder.glob("*.before.py")):
        name = before.name.removesuffix(".before.py")
        after = before.with_name(f"{name}.after.py")
        found.append(
            Case(
                spec.code,
                name,
                before,
                after if after.exists() else None,
                before.with_name(f"{name}.toml"),
            )
        )
    for tree in sorted(p for p in folder.iterdir() if (p / "before").is_dir()):
        after = tree / "after"
        found.append(
            Case(
                spec.code,
                tree.name,
                tree / "before",
                after if after.is_dir() else None,
                tree / TREE_TABLE,
            )
        )
    return found


def case_named(spec: CodemodSpec, name: str) -> Case:
    """The golden case ``name`` of ``spec`` (``KeyError`` if it has none)."""
    for case in cases_of(spec):
        if case.name == name:
            return case
    raise KeyError(f"{spec.code} has no golden case {name!r}")
