"""What a project declares of itself, read without running any of its code: the
oldest Python it supports and its line length.

The target Python is the distribution's ``requires-python`` (``pyproject.toml``
``[project]``), else ``python_requires`` (``setup.cfg`` ``[options]``, or a string
literal in ``setup.py``, read with ``ast``, never run), else an sdist's ``PKG-INFO``
``Requires-Python``, else the lowest ``Programming Language :: Python :: X.Y`` trove
classifier (the same files' ``classifiers``), else the lowest of Ruff's
``target-version`` (``[tool.ruff]``, ``ruff.toml``, ``.ruff.toml``) and Black's
(``[tool.black] target-version``, a list: its lowest). The line length is Ruff's,
else Black's, else isort's, else ``setup.cfg``'s ``[flake8]``, ``[pycodestyle]`` or
``[isort]``. Each value carries where it was read, for messages. ``[tool.codemods]``
itself wins over all of these; ``codemods.config`` applies that. The files are read
once (``project_files.py``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemods.core import project_files
from codemods.core.isort_profiles import ISORT_LINE_LENGTH, PROFILES
from codemods.core.project_files import ProjectFiles
from codemods.core.settings import ImportOrder

# A Python version as a (major, minor) pair.
Version = tuple[int, int]

_PROJECT_FILES = (*project_files.METADATA_FILES, *project_files.RUFF_FILES)
_CLAUSE = re.compile(r"^\s*(~=|===|==|!=|<=|>=|<|>)?\s*(\d+)(?:\.(\d+|\*))?")
_RUFF_TARGET = re.compile(r"^py(\d)(\d+)$")
_CLASSIFIER = re.compile(r"Programming Language :: Python :: (\d+)\.(\d+)")


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
    files = project_files.read(directory)
    for declared in _python_requirements(files):
        version = lowest_python(declared.value)
        if version is not None:
            return Declared(version, declared.source)
    classified = _classifiers(files)
    if classified is not None:
        return classified
    targets = [*_ruff_targets(files), *_black_targets(files)]
    # Both say which Pythons the code must run on: the oldest of them rules.
    return min(targets, key=lambda declared: declared.value, default=None)


def _ruff_targets(files: ProjectFiles) -> Iterator[Declared]:
    for table, source in _ruff_tables(files):
        value = table.get("target-version")
        match = _RUFF_TARGET.match(value) if isinstance(value, str) else None
        if match is not None:
            version = (int(match[1]), int(match[2]))
            yield Declared(version, f"{source} target-version = {value!r}")
            return


def _black_targets(files: ProjectFiles) -> Iterator[Declared]:
    """Black's ``target-version``: the versions the code must run on, the lowest."""
    value = files.tool("black").get("target-version")
    if not isinstance(value, list):
        return
    versions = [
        (int(match[1]), int(match[2]))
        for target in value
        if isinstance(target, str) and (match := _RUFF_TARGET.match(target))
    ]
    if versions:
        source = f"{files.path('pyproject.toml')} [tool.black] target-version"
        yield Declared(min(versions), f"{source} = {value!r}")


def line_length(directory: Path) -> Declared | None:
    """The line length the project's formatter or linter is configured for."""
    files = project_files.read(directory)
    candidates = [(t, s, "line-length") for t, s in _ruff_tables(files)]
    pyproject = files.path("pyproject.toml")
    for name, key in (("black", "line-length"), ("isort", "line_length")):
        table = files.tool(name)
        if table:
            candidates.append((table, f"{pyproject} [tool.{name}]", key))
    for table, source, key in candidates:
        value = table.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return Declared(value, f"{source} {key} = {value}")
    setup_cfg = files.path("setup.cfg")
    for section in ("flake8", "pycodestyle", "isort"):
        for key in ("max-line-length", "max_line_length", "line_length"):
            text = files.setup_cfg_value(section, key)
            if text is not None and text.isdigit() and int(text) > 0:
                return Declared(int(text), f"{setup_cfg} [{section}] {key} = {text}")
    return None


def import_order(directory: Path) -> Declared | None:
    """How the project's Ruff (``[lint.isort]``), else isort, orders imports: an
    ``ImportOrder``, or None when neither is configured."""
    files = project_files.read(directory)
    for table, source in _ruff_tables(files):
        lint = table.get("lint")
        for found, where in (
            (lint.get("isort") if isinstance(lint, dict) else None, "[lint.isort]"),
            (table.get("isort"), "[isort]"),
        ):
            if isinstance(found, dict):
                return Declared(_order(found, "-"), f"{source} {where}")
    isort = files.tool("isort")
    source = f"{files.path('pyproject.toml')} [tool.isort]"
    if (
        not isort
        and files.setup_cfg is not None
        and files.setup_cfg.has_section("isort")
    ):
        isort = dict(files.setup_cfg.items("isort"))
        source = f"{files.path('setup.cfg')} [isort]"
    if isort:
        profile = isort.get("profile")
        base = PROFILES.get(profile, {}) if isinstance(profile, str) else {}
        order = _order(isort, "_", {"line_length": ISORT_LINE_LENGTH, **base})
        said = f" profile = {profile!r}" if base else ""
        return Declared(order, f"{source}{said}")
    return None


def _order(
    table: dict[str, Any], joiner: str, base: dict[str, Any] | None = None
) -> ImportOrder:
    """The ``ImportOrder`` of an isort table, whose keys join words with ``joiner``,
    over the values of ``base`` (an isort profile's); an INI table's values are text."""
    values: dict[str, Any] = dict(base or {})
    defaults = ImportOrder()
    for field in ImportOrder.__dataclass_fields__:
        value = _typed(table.get(field.replace("_", joiner)), getattr(defaults, field))
        if value is not None:
            values[field] = value
    return ImportOrder(**values)


def _typed(value: object, default: object) -> object:
    """``value`` as the type of ``default`` (None: it cannot be)."""
    if isinstance(value, str) and not isinstance(default, str):
        text = value.strip()
        if isinstance(default, bool):
            value = {"true": True, "false": False}.get(text.lower())
        elif isinstance(default, tuple):
            value = [part.strip() for part in text.split(",") if part.strip()]
        elif re.fullmatch(r"-?\d+", text):
            value = int(text)
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return tuple(value) if ok and isinstance(value, list) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _python_requirements(files: ProjectFiles) -> Iterator[Declared]:
    pyproject = files.path("pyproject.toml")
    project = files.pyproject.get("project", {})
    value = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(value, str):
        yield Declared(value, f"{pyproject} [project] requires-python = {value!r}")
    value = files.setup_cfg_value("options", "python_requires")
    if value is not None:
        source = f"{files.path('setup.cfg')} [options] python_requires"
        yield Declared(value, f"{source} = {value!r}")
    value = None if files.setup_py is None else _setup_py(files.setup_py)
    if value is not None:
        yield Declared(value, f"{files.path('setup.py')} python_requires={value!r}")
    value = files.pkg_info_python
    if value is not None:
        yield Declared(value, f"{files.path('PKG-INFO')} Requires-Python: {value}")


def _classifiers(files: ProjectFiles) -> Declared | None:
    """The lowest ``Programming Language :: Python :: X.Y`` trove classifier of the
    first metadata file listing any (``3`` or ``3 :: Only`` say no minor version)."""
    project = files.pyproject.get("project", {})
    listed = project.get("classifiers") if isinstance(project, dict) else None
    cfg = files.setup_cfg_value("metadata", "classifiers")
    sources = (
        ("pyproject.toml", listed if isinstance(listed, list) else None),
        ("setup.cfg", None if cfg is None else cfg.splitlines()),
        (
            "setup.py",
            None if files.setup_py is None else _setup_py_list(files.setup_py),
        ),
        ("PKG-INFO", files.pkg_info_classifiers),
    )
    for name, classifiers in sources:
        versions = sorted(
            (int(match[1]), int(match[2]), text)
            for text in classifiers or ()
            if isinstance(text, str)
            and (match := _CLASSIFIER.fullmatch(text.strip())) is not None
        )
        if versions:
            major, minor, text = versions[0]
            return Declared(
                (major, minor), f"{files.path(name)} classifier {text.strip()!r}"
            )
    return None


def _ruff_tables(files: ProjectFiles) -> Iterator[tuple[dict[str, Any], str]]:
    """Ruff's settings tables in the folder, in Ruff's order of precedence."""
    for name, table in files.ruff_files:
        if table:
            yield table, str(files.path(name))
            return
    ruff = files.tool("ruff")
    if ruff:
        yield ruff, f"{files.path('pyproject.toml')} [tool.ruff]"


def _setup_py(text: str) -> str | None:
    """A ``python_requires=`` keyword given a string literal anywhere in ``setup.py``."""
    value = _setup_py_keyword(text, "python_requires")
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    return None


def _setup_py_list(text: str) -> list[str] | None:
    """A ``classifiers=`` keyword given a list of string literals in ``setup.py``."""
    value = _setup_py_keyword(text, "classifiers")
    if not isinstance(value, (ast.List, ast.Tuple)):
        return None
    return [
        element.value
        for element in value.elts
        if isinstance(element, ast.Constant) and isinstance(element.value, str)
    ]


def _setup_py_keyword(text: str, keyword: str) -> ast.expr | None:
    """The value of the first keyword argument ``keyword`` anywhere in ``setup.py``
    (read with ``ast``, never run)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == keyword:
            return node.value
    return None
