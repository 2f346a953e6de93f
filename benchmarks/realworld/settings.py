"""What a project declares about itself: its lowest Python and its line length."""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LOWER_BOUND = re.compile(r"(>=|~=|==|>)\s*3\.(\d+)")
_SETUP_PY = re.compile(r"python_requires\s*=\s*['\"]([^'\"]+)['\"]")
_TARGET = re.compile(r"py3(\d+)")
DEFAULT_LINE_LENGTH = 88


@dataclass(frozen=True)
class Declared:
    value: object
    source: str  # where it was read, e.g. "pyproject.toml [project] requires-python"


def lowest_python(specifier: str) -> tuple[int, int] | None:
    """(3, minor) of the lowest Python a specifier such as '>=3.8,<4' admits."""
    bounds = [
        (3, int(minor) + (1 if operator == ">" else 0))
        for operator, minor in _LOWER_BOUND.findall(specifier)
    ]
    return min(bounds) if bounds else None


def _pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
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


def declared_python(root: Path) -> Declared | None:
    """The project's lowest Python, where a packaging file or a tool setting declares it."""
    pyproject = _pyproject(root)
    candidates: list[tuple[str, str]] = []
    requires = _table(pyproject, "project").get("requires-python")
    if isinstance(requires, str):
        candidates.append((requires, "pyproject.toml [project] requires-python"))
    setup_cfg = _setup_cfg(root)
    if setup_cfg.has_option("options", "python_requires"):
        candidates.append(
            (setup_cfg.get("options", "python_requires"), "setup.cfg python_requires")
        )
    setup_py = root / "setup.py"
    if setup_py.is_file():
        match = _SETUP_PY.search(setup_py.read_text(encoding="utf-8", errors="replace"))
        if match:
            candidates.append((match.group(1), "setup.py python_requires"))
    for specifier, source in candidates:
        lowest = lowest_python(specifier)
        if lowest is not None:
            return Declared(lowest, source)
    ruff_target = _table(pyproject, "tool", "ruff").get("target-version")
    if isinstance(ruff_target, str) and _TARGET.fullmatch(ruff_target):
        return Declared(
            (3, int(_TARGET.fullmatch(ruff_target).group(1))),
            "pyproject.toml [tool.ruff] target-version",
        )
    black_targets = _table(pyproject, "tool", "black").get("target-version")
    if isinstance(black_targets, list):
        minors = [
            int(m.group(1)) for t in black_targets if (m := _TARGET.fullmatch(str(t)))
        ]
        if minors:
            return Declared(
                (3, min(minors)), "pyproject.toml [tool.black] target-version"
            )
    return None


def line_length(root: Path) -> Declared:
    """The project's configured line length (Ruff, then Black, then isort/flake8)."""
    pyproject = _pyproject(root)
    for keys, key in (
        (("tool", "ruff"), "line-length"),
        (("tool", "black"), "line-length"),
        (("tool", "isort"), "line_length"),
    ):
        value = _table(pyproject, *keys).get(key)
        if isinstance(value, int):
            return Declared(value, f"pyproject.toml [{'.'.join(keys)}] {key}")
    setup_cfg = _setup_cfg(root)
    for section in ("flake8", "pycodestyle", "isort"):
        for key in ("max-line-length", "max_line_length", "line_length"):
            if setup_cfg.has_option(section, key):
                try:
                    return Declared(
                        int(setup_cfg.get(section, key)), f"setup.cfg [{section}] {key}"
                    )
                except ValueError:
                    pass
    return Declared(DEFAULT_LINE_LENGTH, "default")
