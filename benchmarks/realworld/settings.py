"""What a project declares about itself: its lowest Python and its line length."""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

_LOWER_BOUND = re.compile(r"(>=|~=|==|>)\s*3\.(\d+)")
_SETUP_PY = re.compile(r"python_requires\s*=\s*['\"]([^'\"]+)['\"]")
_TARGET = re.compile(r"py3(\d+)")
DEFAULT_LINE_LENGTH = 88


@dataclass(frozen=True)
class DeclaredPython:
    version: tuple[int, int]
    source: str  # where it was read, e.g. "pyproject.toml [project] requires-python"


@dataclass(frozen=True)
class LineLength:
    value: int
    source: str


def lowest_python(specifier: str) -> tuple[int, int] | None:
    """(3, minor) of the lowest Python a specifier such as '>=3.8,<4' admits."""
    bounds = [
        (3, int(minor) + (1 if operator == ">" else 0))
        for operator, minor in _LOWER_BOUND.findall(specifier)
    ]
    return min(bounds) if bounds else None


def _pyproject(root: Path) -> dict[str, Any]:
    try:
        return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _setup_cfg(root: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(root / "setup.cfg", encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        pass
    return parser


def _table(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        value = data.get(key)
        if not isinstance(value, dict):
            return {}
        data = value
    return data


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _specifiers(root: Path, pyproject: dict[str, Any]) -> list[tuple[str, str]]:
    """(specifier, where) for every place that states the supported Pythons."""
    found: list[tuple[str, str]] = []
    requires = _table(pyproject, "project").get("requires-python")
    if isinstance(requires, str):
        found.append((requires, "pyproject.toml [project] requires-python"))
    setup_cfg = _setup_cfg(root)
    if setup_cfg.has_option("options", "python_requires"):
        specifier = setup_cfg.get("options", "python_requires")
        found.append((specifier, "setup.cfg python_requires"))
    match = _SETUP_PY.search(_read(root / "setup.py"))
    if match:
        found.append((match.group(1), "setup.py python_requires"))
    metadata = HeaderParser().parsestr(_read(root / "PKG-INFO"))
    if metadata.get("Requires-Python"):
        found.append((metadata["Requires-Python"], "PKG-INFO Requires-Python"))
    return found


def _tool_targets(pyproject: dict[str, Any]) -> list[tuple[str, str]]:
    """(py3N, where) from Ruff's and Black's target-version settings."""
    found: list[tuple[str, str]] = []
    ruff = _table(pyproject, "tool", "ruff").get("target-version")
    if isinstance(ruff, str):
        found.append((ruff, "pyproject.toml [tool.ruff] target-version"))
    black = _table(pyproject, "tool", "black").get("target-version")
    if isinstance(black, list):
        found += [(str(t), "pyproject.toml [tool.black] target-version") for t in black]
    return found


def declared_python(root: Path) -> DeclaredPython | None:
    """The lowest Python the project declares: packaging metadata first, then the
    target-version of its Ruff or Black settings."""
    pyproject = _pyproject(root)
    for specifier, source in _specifiers(root, pyproject):
        lowest = lowest_python(specifier)
        if lowest is not None:
            return DeclaredPython(lowest, source)
    targets = [
        ((3, int(match.group(1))), source)
        for target, source in _tool_targets(pyproject)
        if (match := _TARGET.fullmatch(target))
    ]
    if targets:
        version, source = min(targets)
        return DeclaredPython(version, source)
    return None


def line_length(root: Path) -> LineLength:
    """The project's configured line length (Ruff, then Black, then isort/flake8)."""
    pyproject = _pyproject(root)
    for keys, key in (
        (("tool", "ruff"), "line-length"),
        (("tool", "black"), "line-length"),
        (("tool", "isort"), "line_length"),
    ):
        value = _table(pyproject, *keys).get(key)
        if isinstance(value, int):
            return LineLength(value, f"pyproject.toml [{'.'.join(keys)}] {key}")
    setup_cfg = _setup_cfg(root)
    for section in ("flake8", "pycodestyle", "isort"):
        for key in ("max-line-length", "max_line_length", "line_length"):
            text = setup_cfg.get(section, key, fallback="").strip()
            if text.isdigit():
                return LineLength(int(text), f"setup.cfg [{section}] {key}")
    return LineLength(DEFAULT_LINE_LENGTH, "default")
