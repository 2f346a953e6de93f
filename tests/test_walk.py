"""``codemods.cst.walk.visit`` does what LibCST's ``node.visit`` does: the same calls on
the same nodes in the same order, and a transformer's result the same code.

Compared on every golden case's files, the legacy app, herald, and the files of the
real-world projects (when fetched) that spell a codemod's trigger word; the
transformer below rewrites, removes and flattens nodes and drops commas, so that
LibCST's own rebuilding (sentinels, optional fields, emptied lines) is exercised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import libcst as cst
import pytest

from benchmarks.realworld.__main__ import DEFAULT_WORKDIR
from codemods.core.settings import Settings
from codemods.cst import walk
from codemods.cst.walk import visit
from codemods.rules import registry
from tests.support.golden import REPO

Event = tuple[str, int]
_Test = TypeVar("_Test", bound=Callable[..., None])


def _golden_and_apps() -> list[Path]:
    cases = sorted((REPO / "codemods" / "rules").glob("*/cases/**/*.py"))
    apps = sorted((REPO / "fixtures").glob("*/**/*.py"))
    return [*cases, *apps]


def _trigger_words() -> tuple[bytes, ...]:
    every = Settings(select=tuple(spec.code for spec in registry.CODEMODS))
    return tuple(
        word
        for spec in registry.CODEMODS
        if spec.code != "TG100"  # its trigger, `noqa`, says nothing of the code
        for word in spec.triggers(every)
    )


def _realworld_projects() -> list[Path]:
    sources = DEFAULT_WORKDIR / "src"
    return sorted(sources.iterdir()) if sources.is_dir() else []


def _realworld_files(project: Path) -> Iterator[Path]:
    words = _trigger_words()
    for path in sorted(project.rglob("*.py")):
        data = path.read_bytes()
        if any(word in data for word in words):
            yield path


def _parsed(path: Path) -> cst.Module | None:
    try:
        return cst.parse_module(path.read_bytes())
    except cst.ParserSyntaxError:
        return None  # a file written for another Python, or a broken case on purpose


class _Recording(cst.CSTVisitor):
    def __init__(self) -> None:
        self.events: list[Event] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class _Rewriting(cst.CSTTransformer):
    """Renames names, removes expression statements calling something, flattens each
    `return` into the statement and a `pass` after it, drops the commas of arguments
    (a ``MaybeSentinel``) and the annotations of parameters (an optional field); skips
    the bodies of lambdas (``on_visit`` False). Records its calls."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []
        self.parents: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        self.parents.append(node)
        return not isinstance(node, cst.Lambda)

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        self.events.append(("leave", id(original_node)))
        self.parents.pop()
        parent = self.parents[-1] if self.parents else None
        match updated_node:
            case cst.Name(value=value) if len(value) == 4:
                return updated_node.with_changes(value=value + "_")
            case cst.Expr(value=cst.Call()):
                return cst.RemovalSentinel.REMOVE
            case cst.SimpleStatementLine(body=[cst.Return()]):
                after = cst.SimpleStatementLine([cst.Pass()])
                return cst.FlattenSentinel([updated_node, after])
            case cst.Comma() if isinstance(parent, cst.Arg):
                return cst.RemovalSentinel.REMOVE
            case cst.Annotation() if isinstance(parent, cst.Param):
                return cst.RemovalSentinel.REMOVE
        return updated_node


class _Named(cst.CSTVisitor):
    """Handlers found by name, as LibCST's own ``on_visit`` finds them: the walk looks
    them up once per node type."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("Name", id(node)))

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.events.append(("Lambda", id(node)))
        return False

    def leave_Call(self, original_node: cst.Call) -> None:
        self.events.append(("Call", id(original_node)))


class _NamedRewriting(cst.CSTTransformer):
    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=updated_node.value.upper())

    def leave_Expr(
        self, original_node: cst.Expr, updated_node: cst.Expr
    ) -> cst.RemovalSentinel:
        return cst.RemovalSentinel.REMOVE


def _transformed(module: cst.Module, use_walk: bool) -> tuple[str, list[Event]]:
    rewriting = _Rewriting()
    try:
        result = visit(module, rewriting) if use_walk else module.visit(rewriting)
    except cst.CSTValidationError as error:  # the same refusal both ways
        return f"CSTValidationError: {error}", rewriting.events
    return result.code, rewriting.events


def _assert_same(path: Path) -> None:
    module = _parsed(path)
    if module is None:
        return
    libcst_visit, walk_visit = _Recording(), _Recording()
    module.visit(libcst_visit)
    assert visit(module, walk_visit) is module
    assert walk_visit.events == libcst_visit.events, path
    libcst_named, walk_named = _Named(), _Named()
    module.visit(libcst_named)
    visit(module, walk_named)
    assert walk_named.events == libcst_named.events, path
    assert visit(module, _NamedRewriting()).code == module.visit(_NamedRewriting()).code
    assert _transformed(module, use_walk=True) == _transformed(
        module, use_walk=False
    ), path


@pytest.mark.parametrize(
    "path", _golden_and_apps(), ids=lambda path: str(path.relative_to(REPO))
)
def test_the_walk_makes_libcsts_calls_and_code_on_our_files(path: Path) -> None:
    _assert_same(path)


def on_real_projects(test: _Test) -> _Test:
    """``test(project)`` for each real-world project (``slow``; skipped, saying why,
    when they are not fetched)."""
    marks = (
        pytest.mark.slow,
        pytest.mark.skipif(
            not _realworld_projects(),
            reason="the real-world projects are not fetched (python -m "
            "benchmarks.realworld --fetch-only)",
        ),
        pytest.mark.parametrize(
            "project", _realworld_projects(), ids=lambda project: project.name
        ),
    )
    for mark in reversed(marks):
        test = mark(test)
    return test


@on_real_projects
def test_the_walk_makes_libcsts_calls_and_code_on_real_files(project: Path) -> None:
    files = list(_realworld_files(project))
    for path in files:
        _assert_same(path)


def test_the_order_of_a_field_only_some_nodes_visit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`format_spec` is visited only when there is one: recorded first on an
    expression without it, the order still finds it in one with it (and back)."""
    for text in ('f"{a} {b:>{w}}"\n', 'f"{b:>{w}}" f"{a}" f"{c:{d}}"\n'):
        monkeypatch.setattr(walk, "_ORDERS", {})
        monkeypatch.setattr(walk, "_VARIANTS", {})
        module = cst.parse_module(text)
        expected, found = _Recording(), _Recording()
        module.visit(expected)
        visit(module, found)
        assert found.events == expected.events
        names = [event for event in found.events if event[0] == "visit"]
        assert len(names) == len(expected.events) // 2


def test_an_unchanged_tree_is_the_same_object_and_a_changed_one_is_new() -> None:
    module = cst.parse_module("def f(x):\n    return x\n")
    assert visit(module, cst.CSTTransformer()) is module
    changed = visit(module, _Rewriting())
    assert changed.code == "def f(x):\n    return x\n    pass\n"
    assert changed.body[0] is not module.body[0]
    # The parameter, untouched, is kept as it is rather than copied.
    function = changed.body[0]
    assert isinstance(function, cst.FunctionDef)
    original = module.body[0]
    assert isinstance(original, cst.FunctionDef)
    assert function.params is original.params


def test_a_removed_module_is_an_empty_module_as_in_libcst() -> None:
    class _RemoveModule(cst.CSTTransformer):
        def leave_Module(  # type: ignore[override]
            self, original_node: cst.Module, updated_node: cst.Module
        ) -> cst.RemovalSentinel:
            return cst.RemovalSentinel.REMOVE

    module = cst.parse_module("# header\nx = 1\n")
    assert visit(module, _RemoveModule()).code == module.visit(_RemoveModule()).code
    assert visit(module, _RemoveModule()).code == "\n"


def test_an_on_leave_returning_no_node_is_refused_as_by_libcst() -> None:
    class _Broken(cst.CSTTransformer):
        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> object:  # type: ignore[override]
            return "x"

    module = cst.parse_module("y = 1\n")
    with pytest.raises(cst.CSTValidationError, match="got a return value of str"):
        module.visit(_Broken())
    with pytest.raises(cst.CSTValidationError, match="got a return value of str"):
        visit(module, _Broken())


def test_a_visitor_with_attribute_hooks_gets_them_from_libcsts_visit() -> None:
    class _Hooked(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def visit_Call_func(self, node: cst.Call) -> None:
            self.seen.append(cst.Module([]).code_for_node(node.func))

    module = cst.parse_module("f(g(1))\n")
    expected, found = _Hooked(), _Hooked()
    module.visit(expected)
    visit(module, found)
    assert found.seen == expected.seen == ["f", "g"]
