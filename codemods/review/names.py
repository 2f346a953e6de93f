"""Names a partly accepted file would use without defining them.

Hunks of one file depend on each other: one adds ``import asyncio`` or the
``self._background_tasks`` keeper, another uses it; one removes the tracker import once
every call is migrated. A selection that parses can still fail at run time. Binding is
judged module-wide (any assignment, parameter, import or definition anywhere binds the
name): coarse, so it misses some cases, but it never blames a name the original or the
fully migrated file leaves undefined too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

# ("name", "asyncio") for a plain name, ("self", "_background_tasks") for an attribute.
Key = tuple[str, str]


@dataclass(frozen=True)
class Undefined:
    """A name used but not defined, and the first line using it."""

    spelled: str
    line: int


def newly_undefined(old: str, partial: str, full: str) -> list[Undefined]:
    """Names ``partial`` uses undefined that neither ``old`` nor ``full`` does."""
    try:
        trees = [ast.parse(text) for text in (old, partial, full)]
    except SyntaxError:
        return []  # the parse check reports the partial text; the others parsed
    before, now, after = (_undefined(tree) for tree in trees)
    fresh = [key for key in now if key not in before and key not in after]
    return sorted(
        (Undefined(_spelled(key), now[key]) for key in fresh), key=lambda u: u.line
    )


def _spelled(key: Key) -> str:
    kind, name = key
    return name if kind == "name" else f"self.{name}"


def _undefined(tree: ast.Module) -> dict[Key, int]:
    bound: set[Key] = set()
    used: dict[Key, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                used.setdefault(("name", node.id), node.lineno)
            else:
                bound.add(("name", node.id))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            if isinstance(node.ctx, ast.Load):
                used.setdefault(("self", node.attr), node.lineno)
            else:
                bound.add(("self", node.attr))
        else:
            bound.update(("name", name) for name in _binds(node))
    # A method or class attribute is reached through ``self`` too.
    bound.update(("self", name) for kind, name in list(bound) if kind == "name")
    return {key: line for key, line in used.items() if key not in bound}


def _binds(node: ast.AST) -> list[str]:
    """Names a node other than ``ast.Name`` binds."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [
            alias.asname or alias.name.partition(".")[0]
            for alias in node.names
            if alias.name != "*"
        ]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.ExceptHandler) and node.name is not None:
        return [node.name]
    if isinstance(node, ast.Global | ast.Nonlocal):
        return list(node.names)
    if isinstance(node, ast.MatchAs | ast.MatchStar) and node.name is not None:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest is not None:
        return [node.rest]
    return []
