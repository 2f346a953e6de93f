"""LibCST's metadata resolved through the walk (``NameWrapper.visit_batched``, with
``metadata_walk.metadata_visits_walked``) is LibCST's, node for node.

Each provider we resolve is compared on the same tree resolved both ways (a plain
``MetadataWrapper`` and a ``NameWrapper``): the same nodes have metadata, with equal
values; a scope is compared by what it is (its kind, node, parent) and what it holds
(every assignment and access, with the nodes they link), and each name's qualified
names. On every golden case's files, the apps and (``slow``, when fetched) every file
LibCST parses of the real-world projects.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import libcst as cst
import pytest
from libcst.metadata import (
    ExpressionContextProvider,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)

from codemods.cst import metadata_walk, walk
from codemods.cst.qualified import NameWrapper
from tests.support.golden import REPO
from tests.test_walk import _golden_and_apps, _parsed, on_real_projects

Described = tuple[object, ...]


def _tree_ids(module: cst.Module) -> set[int]:
    found, stack = set(), [cast(cst.CSTNode, module)]
    while stack:
        node = stack.pop()
        found.add(id(node))
        stack.extend(walk.children(node))
    return found


def _describe_scopes(
    module: cst.Module, found: Mapping[cst.CSTNode, Scope | None]
) -> dict[object, object]:
    """Per node, what its scope is and holds. A node of the tree is known by its
    identity (both runs share the tree); a node of a string annotation's own tree
    (``ScopeProvider`` parses one at each visit) by the order the provider first
    gave it metadata in, and its type and code."""
    tree = _tree_ids(module)
    foreign: dict[int, object] = {}
    for node in found:
        if id(node) not in tree:
            foreign[id(node)] = (len(foreign), type(node).__name__, _code(node))

    def key(node: object) -> object:
        return foreign.get(id(node), id(node))

    known: dict[int, Described] = {}

    def describe(scope: Scope) -> Described:
        if id(scope) in known:
            return known[id(scope)]
        parent = scope.parent
        assignments = frozenset(
            (
                a.name,
                type(a).__name__,
                key(getattr(a, "node", None)),
                getattr(a, "index", None),
                frozenset(key(access.node) for access in a.references),
            )
            for a in scope.assignments
        )
        accesses = frozenset(
            (
                key(access.node),
                access.is_annotation,
                access.is_type_hint,
                frozenset(
                    (r.name, key(getattr(r, "node", None))) for r in access.referents
                ),
            )
            for access in scope.accesses
        )
        described = known[id(scope)] = (
            type(scope).__name__,
            key(getattr(scope, "node", None)),
            None if parent is scope else describe(parent),
            assignments,
            accesses,
        )
        return described

    out: dict[object, object] = {}
    for node, scope in found.items():
        if scope is None:
            out[key(node)] = None
            continue
        names = (
            frozenset((q.name, q.source) for q in scope.get_qualified_names_for(node))
            if isinstance(node, (cst.Name, cst.Attribute))
            else None
        )
        out[key(node)] = (describe(scope), names)
    return out


def _assert_same_metadata(module: cst.Module) -> None:
    theirs = MetadataWrapper(module, unsafe_skip_copy=True)
    ours = NameWrapper(module, None)
    for provider in (ExpressionContextProvider,):
        expected, got = theirs.resolve(provider), ours.resolve(provider)
        assert {id(n): v for n, v in got.items()} == {
            id(n): v for n, v in expected.items()
        }, provider
    assert _describe_scopes(module, ours.resolve(ScopeProvider)) == (
        _describe_scopes(module, theirs.resolve(ScopeProvider))
    )


def _code(node: cst.CSTNode) -> str:
    return (
        node.code
        if isinstance(node, cst.Module)
        else cst.Module([]).code_for_node(node)
    )


def _check(path: Path) -> None:
    module = _parsed(path)
    if module is not None:
        _assert_same_metadata(module)


@pytest.mark.parametrize(
    "path", _golden_and_apps(), ids=lambda path: str(path.relative_to(REPO))
)
def test_the_metadata_through_the_walk_is_libcsts_on_our_files(path: Path) -> None:
    _check(path)


@on_real_projects
def test_the_metadata_through_the_walk_is_libcsts_on_real_files(project: Path) -> None:
    for path in sorted(project.rglob("*.py")):
        _check(path)


def test_the_metadata_visitors_walk_without_rebuilding_and_libcst_is_restored() -> None:
    module = cst.parse_module("import a\nclass C(a.B):\n    x: int = a.f(1)\n")
    built: list[type] = []
    original = cst.Name._visit_and_replace_children

    def counting(self: cst.Name, visitor: Any) -> cst.Name:
        built.append(type(visitor))
        return original(self, visitor)

    cst.Name._visit_and_replace_children = counting  # type: ignore[method-assign]
    try:
        NameWrapper(module, None).resolve(ScopeProvider)
        assert built == []  # no Name rebuilt by the providers
        MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
        assert built != []  # LibCST's own resolution does rebuild them
    finally:
        cst.Name._visit_and_replace_children = original  # type: ignore[method-assign]
    assert cst.CSTNode.visit is metadata_walk._LIBCST_VISIT


def test_a_batchable_visitor_with_attribute_hooks_gets_libcsts_batched_visit() -> None:
    class Hooked(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[str] = []

        def visit_Call_func(self, node: cst.Call) -> None:
            self.calls.append("func")

        def visit_Name(self, node: cst.Name) -> None:
            self.calls.append(node.value)

    module = cst.parse_module("f(x)\n")
    ours, theirs = Hooked(), Hooked()
    NameWrapper(module, None).visit_batched([ours])
    cst.visit_batched(module, [theirs])
    assert ours.calls == theirs.calls == ["func", "f", "x"]


def test_a_batchable_visitor_gets_its_calls_in_libcsts_order() -> None:
    class Noting(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[tuple[str, str]] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.calls.append(("visit", node.value))

        def leave_Call(self, original_node: cst.Call) -> None:
            self.calls.append(("leave", cst.Module([]).code_for_node(original_node)))

    module = cst.parse_module("f(g(x), y=z)\n")
    ours, theirs = Noting(), Noting()
    NameWrapper(module, None).visit_batched([ours])
    cst.visit_batched(module, [theirs])
    assert ours.calls == theirs.calls
    assert ours.calls[:2] == [("visit", "f"), ("visit", "g")]
