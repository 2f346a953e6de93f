"""What a project declares about itself (its lowest Python, its line length), as the
tool itself reads it (``codemods.core.declared``), with sources told relative to the
project's folder for the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codemods.core import declared

DEFAULT_LINE_LENGTH = 88
lowest_python = declared.lowest_python


@dataclass(frozen=True)
class DeclaredPython:
    version: tuple[int, int]
    source: str  # where it was read, e.g. "pyproject.toml [project] requires-python"


@dataclass(frozen=True)
class LineLength:
    value: int
    source: str


def _relative(source: str, root: Path) -> str:
    return source.replace(f"{root.resolve()}/", "")


def declared_python(root: Path) -> DeclaredPython | None:
    """The lowest Python the project declares: packaging metadata first, then the
    target-version of its Ruff or Black settings."""
    found = declared.target_version(root)
    if found is None:
        return None
    return DeclaredPython(found.value, _relative(found.source, root))


def line_length(root: Path) -> LineLength:
    """The project's configured line length (Ruff, then Black, then isort/flake8)."""
    found = declared.line_length(root)
    if found is None:
        return LineLength(DEFAULT_LINE_LENGTH, "default")
    return LineLength(found.value, _relative(found.source, root))
