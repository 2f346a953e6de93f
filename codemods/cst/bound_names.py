"""Which names a module binds by import, and which of them mean the same everywhere,
read from CPython's ``ast`` of its text.

LibCST's ``ScopeProvider`` answers "what does this name refer to" for every node of a
tree, at the cost of two traversals of the whole tree (with the expression contexts it
needs): most of a dense file's time. Yet the codemods only ask for *imported* names
(``cst/qualified.py``), and in most modules a name that an import binds is bound by
nothing else: then every spelling of it, anywhere in the module, refers to that
import. ``ast`` tells which names are so in one cheap walk, and only a question about
any other imported name needs LibCST's scope analysis.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class ImportBindings:
    """``imported``: the first names of the dotted names any import of a module binds
    (``import a.b`` binds ``a``), in any scope; ``uniform``: those bound by
    module-level imports and nothing else, and not read at module level before the
    last of those imports (where LibCST's answer depends on the order); ``bound``:
    every name bound anywhere (one that is not means the builtin of that name, if
    any)."""

    imported: frozenset[str]
    uniform: frozenset[str]
    bound: frozenset[str]


def import_bindings(tree: ast.Module) -> ImportBindings:
    """What ``tree`` (a module's ``ast``) binds by import (see ``ImportBindings``)."""
    walk = _Walk()
    for statement in tree.body:
        walk.visit(statement)
    uniform = {
        name
        for name, line in walk.last_import.items()
        if name not in walk.other and walk.first_read.get(name, line + 1) > line
    }
    bound = walk.imported | walk.other
    return ImportBindings(
        frozenset(walk.imported), frozenset(uniform), frozenset(bound)
    )


def _bound_by(alias: ast.alias) -> str:
    return alias.asname or alias.name.partition(".")[0]


class _Walk(ast.NodeVisitor):
    """Records imports, other bindings and module-level reads, by first name."""

    def __init__(self) -> None:
        self.depth = 0  # 0: module level (where statements run in order)
        self.imported: set[str] = set()
        self.last_import: dict[str, int] = {}  # module-level imports: last line
        self.other: set[str] = set()  # bound otherwise, or by an import in a scope
        self.first_read: dict[str, int] = {}  # module-level reads: first line

    def bind(self, name: str) -> None:
        self.other.add(name)

    def _imports(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                continue
            name = _bound_by(alias)
            self.imported.add(name)
            if self.depth:
                self.other.add(name)
            else:
                last = self.last_import.get(name, 0)
                self.last_import[name] = max(last, node.end_lineno or node.lineno)

    visit_Import = visit_ImportFrom = _imports

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.bind(node.id)
        elif self.depth == 0:
            first = self.first_read.get(node.id, node.lineno)
            self.first_read[node.id] = min(first, node.lineno)

    def visit_arg(self, node: ast.arg) -> None:
        self.bind(node.arg)
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        self.other.update(node.names)

    visit_Nonlocal = visit_Global

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name is not None:
            self.bind(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs | ast.MatchStar) -> None:
        if node.name is not None:
            self.bind(node.name)
        self.generic_visit(node)

    visit_MatchStar = visit_MatchAs

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest is not None:
            self.bind(node.rest)
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, (*_SCOPES, *_COMPREHENSIONS)):
            self._scope(node)
            return
        name = getattr(node, "name", None)  # type parameters (3.12)
        if isinstance(name, str) and type(node).__name__ in _TYPE_PARAMS:
            self.bind(name)
        super().generic_visit(node)

    def _scope(self, node: ast.stmt | ast.expr) -> None:
        """A function, lambda, class or comprehension: its name binds where it is
        defined; everything else, conservatively, counts as inside it (a read in
        its decorators or defaults still counts as a read, in the scope above)."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bind(node.name)
            for decorator in node.decorator_list:
                self.visit(decorator)
        if self.depth == 0:
            # Reads in a definition's header run at module level too: count every
            # read of the definition as one, at its first line (conservative).
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
                    first = self.first_read.get(inner.id, node.lineno)
                    self.first_read[inner.id] = min(first, node.lineno)
        self.depth += 1
        try:
            super().generic_visit(node)
        finally:
            self.depth -= 1


_TYPE_PARAMS = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple"})
