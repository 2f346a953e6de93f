"""What a project declares of itself, read without running any of its code: the
oldest Python it supports and its line length.

The target Python is the distribution's ``requires-python`` (``pyproject.toml``
``[project]``), else ``python_requires`` (``setup.cfg`` ``[options]``, or a string
literal in ``setup.py``, read with ``ast``, never run), else Ruff's ``target-version``
(``[tool.ruff]``, ``ruff.toml``, ``.ruff.toml``). The line length is Ruff's, else
Black's, else isort's. Each value carries where it was read, for messages.
``[tool.codemods]`` itself wins over all of these; ``codemods.config`` applies that.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemods.core.settings import ImportOrder

# A Python version as a (major, minor) pair.
Version = tuple[int, int]

_RUFF_FILES = (".ruff.toml", "ruff.toml")
_PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py", *_RUFF_FILES)
_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)?\s*(\d+)(?:\.(\d+|\*))?")
_RUFF_TARGET = re.compile(r"^py(\d)(\d+)$")


@dataclass(frozen=True)
class Declared:
    """A value the project declares, and where: ``pyproject.toml [project]
    requires-python = '>=3.9'``."""

    value: Any
    source: str


def parse_version(text: str) -> Version | None:
    """``"3.11"`` -> (3, 11); None for anything else."""
    match = re.fullmatch(r"\s*(\d+)\.(\d+)\s*", text)
    return None if match is None else (int(match[1]), int(match[2]))


def lowest_python(specifier: str) -> Version | None:
    """The oldest Python a ``requires-python`` specifier admits (its lower bounds'
    highest), or None when it sets none: ``">=3.8,<4"`` -> (3, 8), ``"~=3.10"`` ->
    (3, 10), ``"==3.11.*"`` -> (3, 11), ``">3.9"`` -> (3, 9) (3.9.1 is above it)."""
    lowest: Version | None = None
    for clause in specifier.split(","):
        match = _CLAUSE.match(clause)
        if match is None or match[1] in ("<", "<=", "!="):
            continue
        minor = match[3]
        version = (int(match[2]), 0 if minor is None or minor == "*" else int(minor))
        lowest = version if lowest is None else max(lowest, version)
    return lowest


def project_directory(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding project metadata or a Ruff
    configuration."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        if any((directory / name).is_file() for name in _PROJECT_FILES):
            return directory
    return None


def target_version(directory: Path) -> Declared | None:
    """The oldest Python the project in ``directory`` declares it supports."""
    for declared in _python_requirements(directory):
        version = lowest_python(declared.value)
        if version is not None:
            return Declared(version, declared.source)
    for table, source in _ruff_tables(directory):
        value = table.get("target-version")
        match = _RUFF_TARGET.match(value) if isinstance(value, str) else None
        if match is not None:
            version = (int(match[1]), int(match[2]))
            return Declared(version, f"{source} target-version = {value!r}")
    return None


def line_length(directory: Path) -> Declared | None:
    """The line length the project's formatter or linter is configured for."""
    candidates = [(t, s, "line-length") for t, s in _ruff_tables(directory)]
    pyproject = directory / "pyproject.toml"
    tool = _tool(pyproject)
    for name, key in (("black", "line-length"), ("isort", "line_length")):
        table = tool.get(name)
        if isinstance(table, dict):
            candidates.append((table, f"{pyproject} [tool.{name}]", key))
    for table, source, key in candidates:
        value = table.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return Declared(value, f"{source} {key} = {value}")
    return None


def import_order(directory: Path) -> Declared | None:
    """How the project's Ruff (``[lint.isort]``), else isort, orders imports: an
    ``ImportOrder``, or None when neither is configured."""
    for table, source in _ruff_tables(directory):
        lint = table.get("lint")
        for found, where in (
            (lint.get("isort") if isinstance(lint, dict) else None, "[lint.isort]"),
            (table.get("isort"), "[isort]"),
        ):
            if isinstance(found, dict):
                return Declared(_order(found, "-"), f"{source} {where}")
    isort = _tool(directory / "pyproject.toml").get("isort")
    if isinstance(isort, dict):
        return Declared(
            _order(isort, "_"), f"{directory / 'pyproject.toml'} [tool.isort]"
        )
    return None


def _order(table: dict[str, Any], joiner: str) -> ImportOrder:
    """The ``ImportOrder`` of an isort table, whose keys join words with ``joiner``."""
    values: dict[str, bool] = {}
    for field in ImportOrder.__dataclass_fields__:
        value = table.get(field.replace("_", joiner))
        if isinstance(value, bool):
            values[field] = value
    return ImportOrder(**values)


def _python_requirements(directory: Path) -> Iterator[Declared]:
    pyproject = directory / "pyproject.toml"
    project = _toml(pyproject).get("project", {})
    value = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(value, str):
        yield Declared(value, f"{pyproject} [project] requires-python = {value!r}")
    setup_cfg = directory / "setup.cfg"
    value = _setup_cfg(setup_cfg)
    if value is not None:
        yield Declared(value, f"{setup_cfg} [options] python_requires = {value!r}")
    setup_py = directory / "setup.py"
    value = _setup_py(setup_py)
    if value is not None:
        yield Declared(value, f"{setup_py} python_requires={value!r}")


def _ruff_tables(directory: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """Ruff's settings tables in ``directory``, in Ruff's order of precedence."""
    for name in _RUFF_FILES:
        table = _toml(directory / name)
        if table:
            yield table, str(directory / name)
            return
    pyproject = directory / "pyproject.toml"
    ruff = _tool(pyproject).get("ruff")
    if isinstance(ruff, dict):
        yield ruff, f"{pyproject} [tool.ruff]"


def _toml(path: Path) -> dict[str, Any]:
    """The TOML file ``path``, or {} when it is missing or not valid TOML (a project
    file this tool only reads hints from is never a reason to stop)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _tool(pyproject: Path) -> dict[str, Any]:
    tool = _toml(pyproject).get("tool")
    return tool if isinstance(tool, dict) else {}


def _setup_cfg(path: Path) -> str | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        value = parser.get("options", "python_requires", fallback=None)
    except (configparser.Error, UnicodeDecodeError):
        return None
    return None if value is None else value.strip()


def _setup_py(path: Path) -> str | None:
    """A ``python_requires=`` keyword given a string literal anywhere in ``setup.py``."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "python_requires":
            if isinstance(node.value, ast.Constant) and isinstance(
                node.value.value, str
            ):
                return node.value.value
    return None
