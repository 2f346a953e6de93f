"""Dropping the imports a codemod's fixes left unused, where that is plain to see.

A codemod that rewrote every ``track_task(...)`` asks for ``from app.tasks import
track_task`` to go if nothing uses it any more. LibCST's ``RemoveImportsVisitor``
decides that with a scope analysis of the whole new tree (a copy of it, its scopes,
its qualified names): a quarter of a small repository's check, and its package
``libcst.codemod`` costs as much CPU to import as LibCST itself. Here the plain case
is done without it: a name the new tree no longer spells anywhere (no name, no string)
has no use, and its import, a top-level line of its own, goes, with the trailing
comma of what is left fixed as LibCST fixes it. Anything else (the name still
spelled, perhaps by a shadowing local or a docstring; the import nested, in
parentheses, or sharing its line) is left to LibCST, which then decides exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_absolute_module_from_package_for_import

from codemods.cst.find import find_all
from codemods.cst.walk import visit


@dataclass(frozen=True)
class ImportRemoval:
    """An import a fix made unused, as LibCST's ``RemoveImportsVisitor`` takes it:
    ``import module [as asname]``, or ``from module import obj [as asname]``."""

    module: str
    obj: str | None = None
    asname: str | None = None


# Imports LibCST never counts as unused.
_KEPT_MODULES = frozenset({"__future__"})


def drop_unused_imports(
    tree: cst.Module, removals: Sequence[ImportRemoval], package: str | None
) -> cst.Module | None:
    """``tree`` without the imports of ``removals`` that nothing in it spells any
    more, as LibCST's ``RemoveImportsVisitor`` would make it; None where telling
    takes LibCST's scope analysis (see the module)."""
    modules = {r.module: r.asname for r in removals if r.obj is None}
    objects = {(r.module, r.obj, r.asname) for r in removals if r.obj is not None}
    dropped: dict[cst.ImportAlias, str] = {}
    for plain in find_all(tree, cst.Import):
        for alias in plain.names:
            name = alias.evaluated_name
            if name in modules and alias.evaluated_alias == modules[name]:
                dropped[alias] = alias.evaluated_alias or name
    for node in find_all(tree, cst.ImportFrom):
        if isinstance(node.names, cst.ImportStar):
            continue
        module = get_absolute_module_from_package_for_import(package, node)
        if node.module is None or module in _KEPT_MODULES:
            module = None  # LibCST keeps these whatever asks for them
        for alias in node.names:
            wanted = (module, alias.evaluated_name, alias.evaluated_alias)
            if module is not None and wanted in objects:
                dropped[alias] = alias.evaluated_alias or alias.evaluated_name
    if not dropped:
        return tree
    names, strings = _spelled(tree)
    for bound in dropped.values():
        first = bound.partition(".")[0]
        if first in names or any(first in text for text in strings):
            return None
    body = []
    seen = 0
    for statement in tree.body:
        kept, count = _without(statement, dropped)
        seen += count
        if kept is not None:
            body.append(kept)
    if seen != len(dropped):
        return None  # an import to drop is not a top-level line of its own
    return tree.with_changes(body=body)


def _without(
    statement: cst.BaseStatement, dropped: dict[cst.ImportAlias, str]
) -> tuple[cst.BaseStatement | None, int]:
    """``statement`` without the ``dropped`` aliases of its import (None: nothing is
    left of it), and how many it held; the statement as it is when it holds none or
    is not a plain import line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return statement, 0
    node = statement.body[0]
    if not isinstance(node, (cst.Import, cst.ImportFrom)) or isinstance(
        node.names, cst.ImportStar
    ):
        return statement, 0
    names = list(node.names)
    kept = [alias for alias in names if alias not in dropped]
    count = len(names) - len(kept)
    if count == 0:
        return statement, 0
    if isinstance(node, cst.ImportFrom) and node.lpar is not None:
        return statement, 0  # parenthesized: comments may move (LibCST's case)
    if not kept:
        return None, count
    if kept[-1] is not names[-1]:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return statement.with_changes(body=[node.with_changes(names=kept)]), count


def _spelled(tree: cst.Module) -> tuple[set[str], list[str]]:
    """The names ``tree`` spells outside its imports, and the text of its strings."""
    names: set[str] = set()
    strings: list[str] = []

    class _Spelled(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        def visit_Name(self, node: cst.Name) -> None:
            names.add(node.value)

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            strings.append(node.value)

        def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
            strings.append(node.value)

    visit(tree, _Spelled())
    return names, strings
