"""Positions from the code of a top-level statement alone (``TreeLines.position``)
and from the code of a function or class alone (indented as it stands) are
``PositionProvider``'s, for every node of every top-level statement, function and
class.

On every golden case's files, the apps and (``slow``, when fetched) every file
LibCST parses of the real-world projects; plus the shapes where the statement's own
code and the module's could part (decorators, semicolons, ``\\r\\n`` and a lone
``\\r``, form feeds, comments before, between and after the statements, no final
line break), a tree whose ``ast`` disagrees and nodes outside every statement (both
from ``PositionProvider`` computed for the whole tree).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods.cst.qualified import NameWrapper
from codemods.cst.walk import children
from tests.test_positions import (
    APPS,
    CASES,
    REPO,
    _Counted,
    _projects,
    _read,
    _sources,
    assert_agrees_on_project,
)


def _nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    yield node
    for child in children(node):
        yield from _nodes(child)


def disagreements(text: str, tree: ast.Module | None = None) -> list[str]:
    """Where positions from a statement's, a function's or a class's own code
    differ from ``PositionProvider``'s (empty: nowhere), and whether any question
    needed the whole tree's. Each top-level statement, then each function and class
    at any depth, is asked first about its own nodes (its own code generated)."""
    module = cst.parse_module(text)
    if tree is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a project's invalid escape sequence
            tree = ast.parse(text)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found: list[str] = []
    roots = [
        *module.body,
        *(n for n in positions if isinstance(n, (cst.FunctionDef, cst.ClassDef))),
    ]
    for root in roots:
        lines = NameWrapper(module, None, text, tree).lines
        for node in _nodes(root):
            if lines.position(node) != positions[node]:
                found.append(f"{type(node).__name__}: {lines.position(node)}")
        if lines.whole_tree:
            found.append("the whole tree's positions were computed")
    return found


@pytest.mark.parametrize(
    "path", [*CASES, *_sources(*APPS)], ids=lambda path: str(path.relative_to(REPO))
)
def test_statement_positions_are_position_providers_on_cases_and_apps(
    path: Path,
) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("LibCST does not parse it (a case of a file in error)")
    assert disagreements(text) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "project", _projects(), ids=lambda path: "none" if path is None else path.name
)
def test_statement_positions_are_position_providers_on_real_world_sources(
    project: Path | None,
) -> None:
    assert_agrees_on_project(project, disagreements)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("@a\n@b(\n  1)\nasync def f(x):\n    pass\n", id="decorators"),
        pytest.param("@a\nclass C(B, metaclass=M):\n    x: int\n", id="class"),
        pytest.param("x = 1; y = (\n 2); z = 3\nw = 4\n", id="semicolons"),
        pytest.param("# head\n\n\nx = 1\n# mid\n\ny = 2\n# foot\n", id="comments"),
        pytest.param("x = 1\r\nif x:\r\n    y = 2\r\n", id="crlf"),
        pytest.param("x = 1\rdef f():\r    pass\r", id="lone_cr"),
        pytest.param("x = 1\n\x0c\ndef f():\n    pass\n", id="form_feed"),
        pytest.param("def f():\n    pass", id="no_final_newline"),
        pytest.param("x = '''\n\u2028'''\ny = 1\n", id="line_separator_in_string"),
        pytest.param(
            "async def f():\n    pass\nasync with a as b:\n    pass\n"
            "for i in x:\n    pass\nelse:\n    pass\nwhile x:\n    break\n",
            id="compound",
        ),
        pytest.param(
            "try:\n    pass\nexcept* E:\n    pass\nmatch x:\n    case 1:\n"
            "        pass\n",
            id="try_star_and_match",
        ),
        pytest.param("x = [\n  1,\n  2,\n]  # c\n\\\n\ny = 2\n", id="backslash"),
        pytest.param("def \uff46():\n    return 1\n", id="full_width_name"),
        pytest.param("if x:\n\tif y:\n\t\tz = f(\n1)\n", id="tabs"),
        pytest.param(
            "class C:\n  @d\n  def f(self):\n  \tif x:\n  \t\ty = g(\n1, '''\n'''\n"
            "  )\n  # c\n  def h(self): return 1\n",
            id="mixed_indents_in_a_class",
        ),
        pytest.param(
            "if x:\n    class C:\n        def f(self):\n            return [\n"
            "  1]\nelse:\n    def g():\n        pass\n",
            id="definitions_in_blocks",
        ),
    ],
)
def test_statement_positions_on_shapes(source: str) -> None:
    assert disagreements(source) == []


def test_an_ast_that_disagrees_gives_the_whole_trees_positions() -> None:
    text = "def f():\n    pass\n\n\ndef g():\n    pass\n"
    for other in ("def f():\n    pass\ndef h():\n    pass\n", "x = 1\ndef g(): pass\n"):
        module = cst.parse_module(text)
        lines = NameWrapper(module, None, text, ast.parse(other)).lines
        g = module.body[1]
        assert lines.position(g).start.line == 5
        assert lines.whole_tree


def test_shifted_lines_that_do_not_end_where_the_ast_ends_give_the_whole_tree() -> None:
    text = "def f():\n    pass\n\n\ndef g():\n    pass\n"
    module = cst.parse_module(text)
    other = ast.parse("def f():\n    pass\n\n\ndef g():\n\n    pass\n")
    lines = NameWrapper(module, None, text, other).lines
    assert lines.position(module.body[1]).end.line == 6
    assert lines.whole_tree


def test_nodes_outside_every_statement_and_the_count_of_whole_trees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = _Counted(monkeypatch)
    text = "# head\nx = 1\n\ndef f():\n    return x\n# foot\n"
    module = cst.parse_module(text)
    lines = NameWrapper(module, None, text).lines
    function = module.body[1]
    assert isinstance(function, cst.FunctionDef)
    lines.enter(module.body[0])  # a walk in another statement: found by searching
    assert lines.position(function.body).start.line == 5
    assert (counted.trees, lines.whole_tree) == (0, False)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert counted.trees == 1
    assert lines.position(module) == whole[module]
    assert (counted.trees, lines.whole_tree) == (2, True)
    with pytest.raises(KeyError):
        lines.position(cst.Name("elsewhere"))
