"""Loading golden cases from each codemod's folder, ``codemods/rules/<name>/cases/``.

A case is either a file pair ``<case>.before.py`` + ``<case>.after.py`` (no ``.after.py``:
the codemod must leave it byte-identical), or a directory ``<case>/`` holding a ``before/``
tree and an ``after/`` tree (files missing from ``after/`` must stay unchanged), for
codemods whose changes cross files. A ``<case>.toml`` file, or ``<case>/codemods.toml``,
holds a ``[tool.codemods]`` table for that case.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from codemods import config
from codemods.core.settings import Settings
from codemods.rules import registry

REPO = Path(__file__).resolve().parents[2]


def cases_folder(code: str) -> Path:
    """The folder holding the golden cases of the codemod ``code``."""
    spec = registry.find(code)
    assert spec is not None, f"no codemod {code}"
    package = spec.module.rpartition(".")[0]
    return REPO.joinpath(*package.split(".")) / "cases"


class _Cases:
    """``CASES / "TG002"``: the cases folder of a codemod, by its code."""

    def __truediv__(self, code: str) -> Path:
        return cases_folder(code)


CASES = _Cases()


@dataclass(frozen=True)
class FileCase:
    code: str
    name: str
    before: Path
    after: Path | None
    settings: Settings

    @property
    def id(self) -> str:
        return f"{self.code}/{self.name}"


@dataclass(frozen=True)
class TreeCase:
    code: str
    name: str
    root: Path
    settings_file: Path | None

    @property
    def id(self) -> str:
        return f"{self.code}/{self.name}"


def _settings(code: str, table_file: Path | None) -> Settings:
    table: dict[str, object] = {}
    if table_file is not None and table_file.is_file():
        with table_file.open("rb") as handle:
            table = tomllib.load(handle).get("tool", {}).get("codemods", {})
    table.setdefault("select", [code])
    return config.parse_table(table, source=str(table_file or "<defaults>"))


def codemod_folders() -> list[tuple[str, Path]]:
    """(code, cases folder) of every codemod whose folder holds cases."""
    folders = [(spec.code, cases_folder(spec.code)) for spec in registry.CODEMODS]
    return [(code, folder) for code, folder in folders if folder.is_dir()]


def file_cases() -> list[FileCase]:
    cases = []
    for code, folder in codemod_folders():
        for before in sorted(folder.glob("*.before.py")):
            name = before.name.removesuffix(".before.py")
            after = before.with_name(f"{name}.after.py")
            cases.append(
                FileCase(
                    code,
                    name,
                    before,
                    after if after.exists() else None,
                    _settings(code, before.with_name(f"{name}.toml")),
                )
            )
    return cases


def tree_cases() -> list[TreeCase]:
    cases = []
    for code, folder in codemod_folders():
        for case in sorted(p for p in folder.iterdir() if (p / "before").is_dir()):
            settings_file = case / "codemods.toml"
            cases.append(
                TreeCase(
                    code,
                    case.name,
                    case,
                    settings_file if settings_file.exists() else None,
                )
            )
    return cases


def tree_settings(case: TreeCase) -> Settings:
    return _settings(case.code, case.settings_file)
