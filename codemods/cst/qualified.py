"""Qualified names: what a node refers to through the module's imports, absolute
(``.tracker.track_task`` read in ``app.jobs`` is ``app.tracker.track_task``), and
whether it is one of the configured functions. Matching by qualified name, not by
spelling, is what lets an alias or a re-export be recognised and a namesake not."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from typing import cast

import libcst as cst
from libcst import BatchableCSTVisitor
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    BatchableMetadataProvider,
    ImportAssignment,
    MetadataWrapper,
    ProviderT,
    QualifiedName,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

from codemods.cst.bound_names import import_bindings
from codemods.cst.metadata_walk import visit_batched
from codemods.cst.names import LocalBindings
from codemods.cst.positions import TreeLines

# Gives the (absolute) qualified names of a node; codemods bind it to their metadata.
QualifiedNamesOf = Callable[[cst.CSTNode], set[str]]


def absolute(name: str, module_name: str | None) -> str:
    """Resolve a relative qualified name (``.tracker.track_task``) against a module."""
    if not name.startswith(".") or module_name is None:
        return name
    level = len(name) - len(name.lstrip("."))
    package = module_name.split(".")[: -level or None]
    rest = name[level:]
    return ".".join([*package, rest]) if package else rest


def imported_names(names: Iterable[QualifiedName], module_name: str | None) -> set[str]:
    """Absolute qualified names that came from an import (not local definitions)."""
    return {
        absolute(q.name, module_name)
        for q in names
        if q.source is QualifiedNameSource.IMPORT
    }


def matches_configured(qualified: Collection[str], configured: Sequence[str]) -> bool:
    """Whether an imported name is one of the configured functions.

    A dotted entry must match exactly; a bare entry matches that name from any module.
    """
    for name in qualified:
        last = name.rsplit(".", 1)[-1]
        for wanted in configured:
            if name == wanted or ("." not in wanted and last == wanted):
                return True
    return False


def qualified_names_of(wrapper: MetadataWrapper, module_name: str) -> QualifiedNamesOf:
    """Absolute imported names of a node, as ``ScopeTracking.qualified`` gives them."""
    return NameResolver(wrapper, module_name)


class NameWrapper(MetadataWrapper):
    """A metadata wrapper (never a copy of its tree) that also knows, from the ``ast``
    of the text its tree was parsed from (or of a text binding at least the same
    names), which imported names mean the same everywhere (``bound_names``); and,
    given the ``text`` its tree was parsed from, its functions' and classes' lines
    (``lines``: from ``text_tree``, the ``ast`` of ``text`` when already built)."""

    def __init__(
        self,
        module: cst.Module,
        tree: ast.Module | None,
        text: str | None = None,
        text_tree: ast.Module | None = None,
    ) -> None:
        super().__init__(module, unsafe_skip_copy=True)
        self.bindings = None if tree is None else import_bindings(tree)
        self.lines = TreeLines(self, text, text_tree)
        self._imports: dict[str, list[ImportAssignment]] | None = None
        self._import_parts: set[int] | None = None  # ids of an import's names
        self.local_bindings = LocalBindings()  # shared by the facts and codemods

    def resolve_many(
        self, providers: Collection[ProviderT]
    ) -> Mapping[ProviderT, Mapping[cst.CSTNode, object]]:
        # LibCST's resolution walks the whole tree for the batchable providers asked
        # for, even when there are none (a fifth of a dense file's time went to such
        # empty walks, one per codemod run): a provider that depends on nothing and is
        # not batchable (``PositionProvider``) is computed here, on its own.
        for provider in providers:
            if (
                provider not in self._metadata
                and not provider.METADATA_DEPENDENCIES
                and not issubclass(provider, BatchableMetadataProvider)
            ):
                made = (
                    provider(self._cache.get(provider))
                    if provider.gen_cache
                    else provider()
                )
                self._metadata[provider] = made._gen(self)
        return super().resolve_many(providers)

    def visit_batched(
        self,
        visitors: Iterable[BatchableCSTVisitor],
        before_visit: Callable[[cst.CSTNode], None] | None = None,
        after_leave: Callable[[cst.CSTNode], None] | None = None,
    ) -> cst.CSTNode:
        # What LibCST's resolution runs the batchable providers with: LibCST's
        # ``visit_batched``, but over the walk (``cst/metadata_walk.py``), which does not
        # rebuild every node it passes (a tenth of a dense tree's time).
        batch = list(visitors)
        with ExitStack() as stack:
            for visitor in batch:
                stack.enter_context(visitor.resolve(self))
            return visit_batched(self.module, batch, before_visit, after_leave)

    def module_imports(self) -> dict[str, list[ImportAssignment]]:
        """What each name the module-level imports bind is bound to, as LibCST's scope
        analysis records it (``import a.b`` binds ``a.b`` and ``a``)."""
        if self._imports is None:
            self._read_imports()
        assert self._imports is not None
        return self._imports

    def in_import(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` is a name written in a module-level import statement
        (which LibCST's scope analysis gives no scope, so no names)."""
        if self._import_parts is None:
            self._read_imports()
        assert self._import_parts is not None
        return id(node) in self._import_parts

    def _read_imports(self) -> None:
        table: dict[str, list[ImportAssignment]] = {}
        parts: set[int] = set()
        for node in _module_level_imports(self.module.body):
            if isinstance(node, cst.ImportFrom) and node.module is not None:
                parts.update(map(id, _chain(node.module)))
            if isinstance(node.names, cst.ImportStar):
                continue
            for alias in node.names:
                parts.update(map(id, _chain(alias.name)))
                bound = alias.name if alias.asname is None else alias.asname.name
                assert isinstance(bound, (cst.Name, cst.Attribute))
                parts.update(map(id, _chain(bound)))
                for name in _dotted_prefixes(bound):
                    assignment = ImportAssignment(
                        name, cast(Scope, None), node, 0, bound
                    )
                    table.setdefault(name, []).append(assignment)
        self._imports, self._import_parts = table, parts


def tree_bindings(wrapper: MetadataWrapper) -> LocalBindings:
    """The ``local_bindings`` of ``wrapper``'s functions, computed once per tree
    (a wrapper that is not a ``NameWrapper``: once per asker)."""
    if isinstance(wrapper, NameWrapper):
        return wrapper.local_bindings
    return LocalBindings()


def tree_lines(wrapper: MetadataWrapper) -> TreeLines:
    """The lines of ``wrapper``'s nodes (a wrapper that is not a ``NameWrapper``:
    all from ``PositionProvider``)."""
    if isinstance(wrapper, NameWrapper):
        return wrapper.lines
    return TreeLines(wrapper)


def resolver_bindings(resolve: QualifiedNamesOf) -> LocalBindings:
    """``tree_bindings`` of the tree ``resolve`` answers for, when it is known."""
    if isinstance(resolve, NameResolver):
        return tree_bindings(resolve.wrapper)
    return LocalBindings()


class NameResolver:
    """Absolute imported names of a node of ``wrapper``'s tree: from the module-level
    imports alone for a name bound by nothing else (``NameWrapper``), else from
    LibCST's scope analysis, computed on first need (and kept by the wrapper).

    Asked of a node of the tree as parsed; a name that refers to nothing (an
    attribute's own name, ``create_task`` of ``loop.create_task``, or a keyword
    argument's) gets none from LibCST but may here: ask of the whole attribute."""

    def __init__(self, wrapper: MetadataWrapper, module_name: str | None) -> None:
        self.wrapper = wrapper
        self.module_name = module_name
        bindings = wrapper.bindings if isinstance(wrapper, NameWrapper) else None
        self.bindings = bindings

    def __call__(self, node: cst.CSTNode) -> set[str]:
        bindings = self.bindings
        if bindings is None:
            return self._from_scopes(node)
        if isinstance(node, cst.BaseString):
            # A string annotation refers to the names it spells, as LibCST reads them
            # where it stands: known without it only when none is imported.
            value = (
                node.evaluated_value
                if isinstance(node, (cst.SimpleString, cst.ConcatenatedString))
                else None  # an f-string
            )
            words = _WORD.findall(value) if isinstance(value, str) else None
            if words is None or not bindings.imported.isdisjoint(words):
                return self._from_scopes(node)
            found: set[str] = set()
        elif not isinstance(node, _SPELLED):
            found = set()  # no name: LibCST finds none either
        else:
            full = get_full_name_for_node(node)
            head = None if full is None else full.partition(".")[0]
            if full is None or head not in bindings.imported:
                found = set()
            elif head in bindings.uniform:
                found = self._from_imports(full, node)
            else:
                return self._from_scopes(node)
        if CHECKED:
            assert found == self._from_scopes(node), (found, node)
        return found

    def unbound(self, name: str) -> bool:
        """Whether the module binds ``name`` nowhere, as far as its ``ast`` says
        (False when unknown): then, where written, it means the builtin if any."""
        return self.bindings is not None and name not in self.bindings.bound

    def _from_imports(self, full: str, node: cst.CSTNode) -> set[str]:
        wrapper = self.wrapper
        assert isinstance(wrapper, NameWrapper)
        if wrapper.in_import(node):
            return set()
        table = wrapper.module_imports()
        prefix: str | None = full
        while prefix:
            if prefix in table:
                found = set().union(
                    *(a.get_qualified_names_for(full) for a in table[prefix])
                )
                return imported_names(found, self.module_name)
            head, dot, _ = prefix.rpartition(".")
            prefix = head if dot else None
        return set()

    def _from_scopes(self, node: cst.CSTNode) -> set[str]:
        scope = self.wrapper.resolve(ScopeProvider).get(node)
        found = scope.get_qualified_names_for(node) if scope is not None else set()
        return imported_names(found, self.module_name)


# The nodes LibCST reads a dotted name from (``get_full_name_for_node``); of the
# others, only a string (an annotation) can refer to something.
_SPELLED = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.FunctionDef,
    cst.ClassDef,
    cst.Decorator,
)

# What could be a name in a string (keywords too: a superset is enough).
_WORD = re.compile(r"[^\W\d]\w*")

# Set by the tests that compare every answer with LibCST's scope analysis.
CHECKED = bool(os.environ.get("CODEMODS_CHECK_NAMES"))


def _chain(node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The nodes of a dotted name ``a.b.c``: the attributes and the names."""
    while isinstance(node, cst.Attribute):
        yield node
        yield node.attr
        node = node.value
    yield node


def _dotted_prefixes(node: cst.Name | cst.Attribute) -> list[str]:
    """``a.b.c`` -> ``a.b.c``, ``a.b``, ``a``."""
    spelled = get_full_name_for_node(node) or ""
    parts = spelled.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _module_level_imports(
    body: Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement],
) -> Iterator[cst.Import | cst.ImportFrom]:
    """The imports of a module's own scope: in any block but a definition's."""
    for statement in body:
        if isinstance(statement, (cst.Import, cst.ImportFrom)):
            yield statement
        elif isinstance(statement, cst.SimpleStatementLine):
            yield from _module_level_imports(statement.body)
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in _blocks(statement):
                yield from _module_level_imports(block)


def _blocks(
    statement: cst.BaseCompoundStatement,
) -> Iterator[Sequence[cst.BaseStatement] | Sequence[cst.BaseSmallStatement]]:
    """The bodies of a compound statement: its own, its ``else``/``elif`` chain, its
    handlers, its ``finally``, its cases."""
    parts: list[object] = [statement.body]
    for field in ("orelse", "handlers", "finalbody", "cases"):
        value = getattr(statement, field, None)
        if isinstance(value, Sequence):
            parts.extend(value)
        elif value is not None:
            parts.append(value)
    for part in parts:
        if isinstance(part, cst.If):  # an `elif`: its own chain
            yield from _blocks(part)
        elif isinstance(part, cst.BaseSuite):
            yield part.body
        elif isinstance(part, cst.CSTNode):
            inner = getattr(part, "body", None)
            if isinstance(inner, cst.BaseSuite):
                yield inner.body
