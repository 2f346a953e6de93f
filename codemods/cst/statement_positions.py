"""Positions of the nodes of one definition or top-level statement from its own
code: LibCST's ``PositionProvider`` ranges without generating the whole module (see
``positions.TreeLines.position``)."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import cast
from unicodedata import normalize

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from codemods.cst.walk import children

# The `ast` statements a compound top-level statement of LibCST stands for; any
# other (``SimpleStatementLine``) stands for as many simple `ast` statements as it
# has small statements.
_COMPOUND: dict[type[cst.CSTNode], tuple[type[ast.stmt], ...]] = {
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.Try: (ast.Try,),
    cst.TryStar: (ast.TryStar,),
    cst.With: (ast.With, ast.AsyncWith),
    cst.Match: (ast.Match,),
}
_AST_COMPOUND = tuple(kind for kinds in _COMPOUND.values() for kind in kinds)


def starts(module: cst.Module, tree: ast.Module) -> dict[int, tuple[int, int]]:
    """The lines each top-level statement of ``module`` starts and ends on (LibCST's
    syntactic position: a ``def``'s or a class's own line, after its decorators, as
    the `ast`'s ``lineno``; the last line of its last statement, as its
    ``end_lineno``), by id; empty if the two trees' statements disagree."""
    found: dict[int, tuple[int, int]] = {}
    theirs = iter(tree.body)
    for statement in module.body:
        first = last = next(theirs, None)
        if first is None:
            return {}
        kinds = _COMPOUND.get(type(statement))
        if kinds is not None:
            if not isinstance(first, kinds) or not _same_name(statement, first):
                return {}
        elif isinstance(statement, cst.SimpleStatementLine):
            for index in range(len(statement.body)):
                if index > 0:
                    last = next(theirs, None)
                if last is None or isinstance(last, _AST_COMPOUND):
                    return {}
        else:
            return {}  # a statement of a kind not known here
        if last is None or last.end_lineno is None:
            return {}
        found[id(statement)] = first.lineno, last.end_lineno
    return {} if next(theirs, None) is not None else found


def _same_name(statement: cst.CSTNode, twin: ast.stmt) -> bool:
    """Whether a definition and its twin have the same name (as CPython reads it)."""
    if not isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return True
    return cpython_name(statement.name.value) == getattr(twin, "name", None)


def cpython_name(name: str) -> str:
    """An identifier as CPython reads it, NFKC-normalised (the engine's trees are,
    too)."""
    return name if name.isascii() else normalize("NFKC", name)


def generated_positions(
    module: cst.Module, statement: cst.CSTNode, indents: Sequence[str] = ()
) -> dict[cst.CSTNode, CodeRange]:
    """``PositionProvider``'s ranges of the nodes of ``statement``, from its own code
    generated from line 1, column 0, inside blocks indented by ``indents`` (LibCST's
    position-tracking code generation, ``PositionProvidingCodegenState``, and the
    ranges it records in a provider's ``_computed``: private to LibCST, the tests
    compare the results)."""
    recorder = PositionProvider()
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=recorder,
    )
    for indent in indents:
        state.increase_indent(indent)
    statement._codegen(state)
    return cast(dict[cst.CSTNode, CodeRange], recorder._computed)


def path_to(root: cst.CSTNode, node: cst.CSTNode) -> list[cst.CSTNode] | None:
    """The nodes from ``root`` down to ``node`` (both included), if it is there."""
    path: list[cst.CSTNode] = []
    stack: list[tuple[cst.CSTNode, int]] = [(root, 0)]
    while stack:
        current, depth = stack.pop()
        del path[depth:]
        path.append(current)
        if current is node:
            return path
        stack.extend((child, depth + 1) for child in reversed(children(current)))
    return None


def indents(module: cst.Module, path: Sequence[cst.CSTNode]) -> list[str]:
    """The indentation the blocks of ``path`` give what is under them, as LibCST's
    code generation adds it (``IndentedBlock``)."""
    return [
        module.default_indent if node.indent is None else node.indent
        for node in path
        if isinstance(node, cst.IndentedBlock)
    ]
