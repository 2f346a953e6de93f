"""The codemods' table dispatch calls the handlers LibCST's own dispatch would."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
import pytest

from codemods.cst.dispatch import FastTransformer

SOURCE = """
import asyncio

class Runner:
    def start(self, n: int) -> None:
        asyncio.create_task(self.run(n))

def main() -> None:
    print([x for x in range(3)], {"a": 1})
"""


class _Recorder(cst.CSTTransformer):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.seen.append(f"visit {node.name.value}")
        return node.name.value != "main"  # not into main's body

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.append(f"name {node.value}")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=updated_node.value.upper())

    def visit_Param_annotation(self, node: cst.Param) -> None:
        self.seen.append(f"annotation of {node.name.value}")


class _Fast(FastTransformer, _Recorder):
    pass


def test_the_same_handlers_run_and_return_the_same_tree() -> None:
    module = cst.parse_module(SOURCE)
    plain, fast = _Recorder(), _Fast()
    assert module.visit(fast).code == module.visit(plain).code
    assert fast.seen == plain.seen
    assert "annotation of n" in fast.seen  # attribute hooks, when a class has some
    assert "name print" not in fast.seen  # visit_FunctionDef returned False


def test_a_matcher_decorator_is_refused_at_class_creation() -> None:
    with pytest.raises(TypeError, match="matcher decorator"):

        class _Decorated(FastTransformer, m.MatcherDecoratableTransformer):
            @m.call_if_inside(m.FunctionDef())
            def visit_Name(self, node: cst.Name) -> None:
                pass
