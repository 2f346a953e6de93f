"""Qualified names from the module's imports (``cst/bound_names.py``,
``cst/qualified.NameResolver``) are LibCST's ``ScopeProvider`` answers, node for node,
and that scope analysis is computed only where a name needs it."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import PositionProvider, ScopeProvider

from codemods.cst.bound_names import import_bindings
from codemods.cst.qualified import NameResolver, NameWrapper

REPO = Path(__file__).resolve().parents[1]


def _bindings(source: str) -> tuple[frozenset[str], frozenset[str]]:
    found = import_bindings(ast.parse(textwrap.dedent(source)))
    return found.imported, found.uniform


@pytest.mark.parametrize(
    ("source", "uniform"),
    [
        pytest.param("import asyncio\nasyncio.run(main())", {"asyncio"}, id="plain"),
        pytest.param("import a.b\nimport a.c as d", {"a", "d"}, id="dotted"),
        pytest.param(
            "import asyncio\ndef f(asyncio):\n    asyncio.x()", set(), id="parameter"
        ),
        pytest.param(
            "import asyncio\ndef f():\n    import asyncio", set(), id="local_import"
        ),
        pytest.param("x = a.y\nimport a", set(), id="read_before_import"),
        pytest.param(
            "try:\n    import ujson as json\nexcept ImportError:\n    json = None",
            set(),
            id="fallback_assignment",
        ),
        pytest.param("from m import *\nimport n", {"n"}, id="star_import"),
        pytest.param(
            "import t\nclass C:\n    t = 1", set(), id="class_attribute_shadows"
        ),
        pytest.param(
            "import t\n[t for t in range(3)]", set(), id="comprehension_target"
        ),
    ],
)
def test_which_imported_names_mean_the_same_everywhere(
    source: str, uniform: set[str]
) -> None:
    imported, found = _bindings(source)
    assert found == uniform
    assert found <= imported


def _texts() -> Iterator[Path]:
    yield from sorted((REPO / "fixtures" / "legacy_app").rglob("*.py"))
    yield from sorted((REPO / "codemods" / "rules").glob("*/cases/**/*.py"))


def _every_node(module: cst.Module) -> list[cst.CSTNode]:
    """Every node of ``module`` but the names that refer to nothing: an attribute's
    own (``create_task`` of ``loop.create_task``) and a keyword argument's, which
    LibCST's scope analysis gives no scope and of which no codemod asks (the
    resolver's contract leaves them out)."""
    found: list[cst.CSTNode] = []
    not_references: set[int] = set()

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if id(node) not in not_references:
                found.append(node)
            if isinstance(node, cst.Attribute):
                not_references.add(id(node.attr))
            elif isinstance(node, cst.Arg) and node.keyword is not None:
                not_references.add(id(node.keyword))
            return True

    module.visit(Collect())
    return found


def test_every_answer_is_the_scope_analysis_answer() -> None:
    """Every node of every golden case and of the legacy app: what the imports
    give equals what LibCST's scope analysis gives (the invariant the fast path
    stands on), the fast path answering most of them."""
    asked = answered_from_scopes = 0
    for path in _texts():
        text = path.read_text(encoding="utf-8")
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError:
            continue
        tree = ast.parse(text)
        resolver = NameResolver(NameWrapper(module, tree), "pkg.mod")
        for node in _every_node(module):
            assert resolver(node) == resolver._from_scopes(node), (path, node)
            asked += 1
        answered_from_scopes += _scoped(module, tree)
    assert asked > 5_000
    assert answered_from_scopes < asked // 10


def _scoped(module: cst.Module, tree: ast.Module) -> int:
    """How many of ``module``'s names need the scope analysis."""
    resolver = NameResolver(NameWrapper(module, tree), "pkg.mod")
    count = 0
    original = resolver._from_scopes

    def counting(node: cst.CSTNode) -> set[str]:
        nonlocal count
        count += 1
        return original(node)

    resolver._from_scopes = counting  # type: ignore[method-assign]
    for node in _every_node(module):
        resolver(node)
    return count


def test_a_module_whose_imports_are_plain_needs_no_scope_analysis() -> None:
    text = textwrap.dedent(
        """\
        import asyncio
        from app.tracker import track_task as track

        async def main(loop):
            track(asyncio.create_task(work()))
            loop.create_task(work())
        """
    )
    module = cst.parse_module(text)
    wrapper = NameWrapper(module, ast.parse(text))
    resolver = NameResolver(wrapper, "app.jobs")
    calls = [n for n in _every_node(module) if isinstance(n, cst.Call)]
    assert [sorted(resolver(c)) for c in calls] == [
        ["app.tracker.track_task"],
        ["asyncio.create_task"],
        [],
        [],
        [],
    ]
    wrapper.resolve(PositionProvider)
    assert ScopeProvider not in wrapper._metadata
