"""Gate (e): the migrated copy against the reference, module for module, byte for byte.

A *retired* module (``retired`` in ``[tool.codemods.validate]``, e.g. the legacy task
tracker) is one the migration leaves behind: it is not compared, but it must still be
there, be absent from the reference, and no migrated module may import it any more.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable
from pathlib import Path

from codemods.core.diffs import unified_diff
from codemods.engine.paths import ALWAYS_SKIPPED
from codemods.validate.project import Plan
from codemods.validate.results import GateResult, failed, skipped, verdict


def python_files(root: Path) -> dict[str, Path]:
    """``relative posix path -> path`` of every ``.py`` file under ``root``, sorted;
    caches, virtualenvs and symbolic links left out, as discovery does."""
    found: dict[str, Path] = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ALWAYS_SKIPPED)
        for name in sorted(files):
            path = Path(directory, name)
            if name.endswith(".py") and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


def reference_gate(plan: Plan) -> GateResult:
    if plan.reference is None:
        return skipped("reference", "no reference configured")
    if not plan.reference.is_dir():
        return failed("reference", f"reference not found: {plan.reference}")
    ours, theirs = python_files(plan.root), python_files(plan.reference)
    compared = sorted((ours.keys() | theirs.keys()) - set(plan.retired))
    problems, differing = [], 0
    for relative in compared:
        if relative not in theirs:
            problems.append(f"{relative}: only in the migrated tree")
        elif relative not in ours:
            problems.append(f"{relative}: only in the reference")
        else:
            mine, expected = ours[relative].read_bytes(), theirs[relative].read_bytes()
            if mine != expected:
                differing += 1
                problems.append(f"{relative}: differs from the reference")
                problems.append(_diff(expected, mine, relative).rstrip("\n"))
    one_sided = len(problems) - 2 * differing
    retired = _retired_problems(plan.retired, ours, theirs)
    counts = [
        (differing, f"{differing} of {len(compared)} modules differ"),
        (one_sided, f"{one_sided} on one side only"),
        (len(retired), f"{len(retired)} retired-module problem(s)"),
    ]
    return verdict(
        "reference",
        problems + retired,
        f"{len(compared)} modules identical to {plan.reference.name}",
        ", ".join(text for count, text in counts if count),
    )


def _diff(expected: bytes, mine: bytes, relative: str) -> str:
    """``a/`` is the reference, ``b/`` the migrated copy."""
    return unified_diff(
        expected.decode("utf-8", "replace"), mine.decode("utf-8", "replace"), relative
    )


def _retired_problems(
    retired: Iterable[str], ours: dict[str, Path], theirs: dict[str, Path]
) -> list[str]:
    problems = []
    for relative in retired:
        if relative not in ours:
            problems.append(f"{relative}: retired, but missing from the migrated tree")
        if relative in theirs:
            problems.append(f"{relative}: retired, but the reference has it")
        module = module_name(relative)
        for importer, path in ours.items():
            if importer != relative and module in imported_modules(path, importer):
                problems.append(f"{importer}: still imports retired {module}")
    return problems


def module_name(relative: str) -> str:
    """``resync/core/task_tracker.py`` -> ``resync.core.task_tracker``."""
    parts = relative.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, relative: str) -> set[str]:
    """Every module the file imports, or may import (``from a import b``: ``a`` and
    ``a.b``), with relative imports resolved. Read from its syntax tree, never run."""
    try:
        tree = ast.parse(path.read_bytes(), filename=relative)
    except (SyntaxError, ValueError):
        return set()  # gate (a) reports it
    package = module_name(relative).split(".")
    if not relative.endswith("__init__.py"):
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            origin = ".".join([*base, *([node.module] if node.module else [])])
            found.add(origin)
            found.update(f"{origin}.{alias.name}".lstrip(".") for alias in node.names)
    return found
