"""What a local is, as far as the code says: the elements a ``for`` takes from an
annotated container have the container's type argument; anything else has none."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from codemods.analysis.facts import Ref
from codemods.analysis.inference import FunctionTypes
from codemods.cst.module_names import ModuleNames

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
