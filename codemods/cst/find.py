"""Finding nodes in a tree: every node a test wants, with its ancestors; and the small
shapes analyses test for (``self.x``, ``[]``, ``x[:]``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard, TypeVar

import libcst as cst

from codemods.cst.walk import visit

Ancestors = tuple[cst.CSTNode, ...]
Node = TypeVar("Node", bound=cst.CSTNode)


def is_docstring(statement: cst.BaseStatement) -> bool:
    """A statement that is a string alone: the docstring, when it comes first."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(
            statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)
        )
    )


class OwnCodeVisitor(cst.CSTVisitor):
    """Visits a function's own code: not the nested functions, classes and lambdas,
    which run at other times (and have their own TaskGroups)."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def walk(
    root: cst.CSTNode, wanted: Callable[[cst.CSTNode], bool]
) -> list[tuple[cst.CSTNode, Ancestors]]:
    """Every node under ``root`` that is ``wanted``, with its ancestors (root first)."""
    found: list[tuple[cst.CSTNode, Ancestors]] = []
    stack: list[cst.CSTNode] = []

    class _Walk(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if wanted(node):
                found.append((node, tuple(stack)))
            stack.append(node)
            return True

        def on_leave(self, original_node: cst.CSTNode) -> None:
            stack.pop()

    visit(root, _Walk())
    return found


def find_all(root: cst.CSTNode, kind: type[Node]) -> list[Node]:
    """Every node of ``kind`` in ``root`` (``root`` too), in the order they are
    written: what ``libcst.matchers.findall`` gives for a node type, without
    importing the matchers (a module of 590 KB, as much CPU as LibCST itself)."""
    found: list[Node] = []

    class _Find(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, kind):
                found.append(node)
            return True

    visit(root, _Find())
    return found


def is_call_of(node: cst.CSTNode, name: str) -> TypeGuard[cst.Call]:
    """A call of the plain name ``name``: ``super()``, ``spawn(job)``."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == name
    )


def discarded_call(line: cst.SimpleStatementLine) -> cst.Call | None:
    """The call of a line that is one call alone, its value thrown away."""
    only = line.body[0] if len(line.body) == 1 else None
    if isinstance(only, cst.Expr) and isinstance(only.value, cst.Call):
        return only.value
    return None


def is_self(node: cst.BaseExpression, name: str | None = None) -> bool:
    """``self.<name>`` (any attribute of ``self`` when ``name`` is None)."""
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == "self"
        and (name is None or node.attr.value == name)
    )


def is_empty_list(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.List) and not node.elements


def is_whole_slice(subscript: cst.Subscript) -> bool:
    """``x[:]``."""
    elements = subscript.slice
    if len(elements) != 1 or not isinstance(elements[0].slice, cst.Slice):
        return False
    whole = elements[0].slice
    return whole.lower is None and whole.upper is None and whole.step is None
