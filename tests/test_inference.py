"""What a local is, as far as the code says: the elements a ``for`` takes from an
annotated container have the container's type argument; anything else has none."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from codemods.analysis.facts import Ref
from codemods.analysis.inference import FunctionTypes
from codemods.cst.module_names import ModuleNames
from codemods.cst.names import local_bindings
from codemods.cst.qualified import NameWrapper, tree_bindings

MODULE = """
import typing
from collections.abc import Sequence

from svc.audit import AuditTrail


def run(
    trails: list[AuditTrail],
    many: Sequence[AuditTrail | None],
    quoted: "typing.Iterable[AuditTrail]",
    pairs: tuple[AuditTrail, ...],
    fixed: tuple[AuditTrail, AuditTrail],
    keyed: dict[AuditTrail, int],
    anything: list,
) -> None:
    local: set[AuditTrail] = set()
    for a in trails: pass
    for b in many: pass
    for c in quoted: pass
    for d in pairs: pass
    for e in fixed: pass
    for f in keyed: pass
    for g in anything: pass
    for h in local: pass
    for i in trails: pass
    for i in keyed: pass
    for j in trails.copy(): pass
"""
TRAIL = Ref.instance("svc.audit.AuditTrail")


@pytest.fixture(scope="module")
def types() -> FunctionTypes:
    module = cst.parse_module(textwrap.dedent(MODULE))
    function = module.body[-1]
    assert isinstance(function, cst.FunctionDef)
    return FunctionTypes(function, ModuleNames(module, "app.run", False), None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a", TRAIL),  # list[X]
        ("b", TRAIL),  # Sequence[X | None]
        ("c", TRAIL),  # quoted, through a module import
        ("d", TRAIL),  # tuple[X, ...]
        ("e", None),  # a fixed-size tuple: not said
        ("f", None),  # a dict yields its keys: not followed
        ("g", None),  # no type argument
        ("h", TRAIL),  # an annotated local
        ("i", None),  # two loops that disagree
        ("j", None),  # not a name
    ],
)
def test_a_loop_variable_has_the_element_type(
    types: FunctionTypes, name: str, expected: Ref | None
) -> None:
    assert types.of(cst.Name(name)) == expected


def test_the_types_of_a_tree_share_its_local_bindings() -> None:
    module = cst.parse_module(textwrap.dedent(MODULE))
    function = module.body[-1]
    assert isinstance(function, cst.FunctionDef)
    wrapper = NameWrapper(module, ast.parse(module.code))
    local = tree_bindings(wrapper)
    assert tree_bindings(wrapper) is local  # the wrapper's own, as long as the tree
    names = ModuleNames(module, "app.run", False)
    shared = FunctionTypes(function, names, None, local)
    alone = FunctionTypes(function, names, None)
    for name in "abcdefghij":
        assert shared.of(cst.Name(name)) == alone.of(cst.Name(name))
    assert local(function) is local(function) == local_bindings(function)
    copy = function.deep_clone()  # another node: walked for itself
    assert local(copy) is not local(function)
    assert tree_bindings(MetadataWrapper(module)) is not local
