"""LibCST's metadata providers over the walk (``cst/walk.py``), not LibCST's visit,
which rebuilds every node it passes.

LibCST resolves the batchable providers (``ScopeProvider`` and what it depends on,
``ExpressionContextProvider``) with ``MetadataWrapper.visit_batched``, and those
providers run their own visitors from their handlers (``node.visit(visitor)`` in
``visit_Module``, and again in the visitors' own handlers, for each attribute, call,
definition...). ``NameWrapper.visit_batched`` calls ``visit_batched`` below: the
batch's handlers over the walk, with ``metadata_visits_walked`` on, under which the
providers' own visitors' ``node.visit`` is the walk as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import libcst as cst
from libcst import BatchableCSTVisitor
from libcst.metadata.expression_context_provider import ExpressionContextVisitor
from libcst.metadata.scope_provider import ScopeVisitor

from codemods.cst.dispatch import ATTRIBUTE_HOOK
from codemods.cst.walk import visit, walker

# LibCST's own visit (``CSTNode.visit``), which ``metadata_visits_walked`` replaces
# for a while.
_LIBCST_VISIT = cst.CSTNode.visit
# The visitors of LibCST's metadata providers whose ``node.visit(self)`` (called from
# their handlers) the walk runs while ``metadata_visits_walked`` is on (private
# classes of ``libcst.metadata``: the tests compare the metadata both ways). Exact:
# neither acts on attribute calls (``ScopeVisitor``'s ``visit_ClassDef_bases`` and
# ``leave_ClassDef_bases`` are never called, as its ``visit_ClassDef`` returns False
# and visits the bases itself), and neither looks at what ``visit`` rebuilt.
_METADATA_VISITORS = (ScopeVisitor, ExpressionContextVisitor)
# Per visitor of those, while they visit: the visitor and its handlers by name.
_WALKERS: dict[int, tuple[cst.CSTVisitor, Callable[[cst.CSTNode], None]]] = {}


def visit_batched(
    module: cst.Module,
    visitors: Sequence[BatchableCSTVisitor],
    before_visit: Callable[[cst.CSTNode], None] | None = None,
    after_leave: Callable[[cst.CSTNode], None] | None = None,
) -> cst.Module:
    """What ``libcst.visit_batched(module, visitors, ...)`` calls, through this walk,
    with ``metadata_visits_walked`` on: each visitor's ``visit_<Node>`` and
    ``leave_<Node>`` (all of a node type's, in the visitors' order); when they handle
    only the ``Module`` (``ScopeProvider`` and ``ExpressionContextProvider``, which
    run their own visitor from ``visit_Module``), no other node is walked, as it
    would call nothing. Attribute hooks or ``before_visit``/``after_leave``: LibCST's
    visit runs it all."""
    methods: dict[str, list[Callable[[cst.CSTNode], None]]] = {}
    for batchable in visitors:
        for name, method in batchable.get_visitors().items():
            methods.setdefault(name, []).append(method)
    if (
        before_visit is not None
        or after_leave is not None
        or any(ATTRIBUTE_HOOK.match(name) for name in methods)
    ):
        return cst.visit_batched(module, visitors, before_visit, after_leave)
    with metadata_visits_walked():
        if methods.keys() <= {"visit_Module", "leave_Module"}:
            for name in ("visit_Module", "leave_Module"):
                for method in methods.get(name, ()):
                    method(module)
        else:
            visit(module, _Batch(methods))
    return module


class _Batch(cst.CSTVisitor):
    """LibCST's batched visitor (``libcst._batched_visitor``) without attribute
    hooks: the methods of a node type found once."""

    def __init__(self, methods: dict[str, list[Callable[[cst.CSTNode], None]]]) -> None:
        super().__init__()
        self.methods = methods
        self.visits: dict[type, list[Callable[[cst.CSTNode], None]]] = {}
        self.leaves: dict[type, list[Callable[[cst.CSTNode], None]]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        found = self.visits.get(kind)
        if found is None:
            found = self.visits[kind] = self.methods.get(f"visit_{kind.__name__}", [])
        for method in found:
            method(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        kind = type(original_node)
        found = self.leaves.get(kind)
        if found is None:
            name = f"leave_{kind.__name__}"
            found = self.leaves[kind] = self.methods.get(name, [])
        for method in found:
            method(original_node)


@contextmanager
def metadata_visits_walked() -> Iterator[None]:
    """While in it, ``node.visit(visitor)`` with a visitor of LibCST's metadata
    providers (``_METADATA_VISITORS``) is this walk; any other visit is LibCST's.
    (It replaces ``CSTNode.visit`` on LibCST's class for that time: the providers call
    it from their own code. One thread per process visits here.)"""
    if cst.CSTNode.visit is not _LIBCST_VISIT:
        yield  # already on
        return
    cst.CSTNode.visit = _visit_metadata  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        cst.CSTNode.visit = _LIBCST_VISIT  # type: ignore[method-assign]
        _WALKERS.clear()


def _visit_metadata(node: cst.CSTNode, visitor: Any) -> Any:
    if type(visitor) not in _METADATA_VISITORS:
        return _LIBCST_VISIT(node, visitor)
    known = _WALKERS.get(id(visitor))
    if known is None:  # (the visitor kept, so that its id is not reused)
        known = _WALKERS[id(visitor)] = visitor, walker(visitor)
    known[1](node)
    return node
