"""Lines without LibCST's ``PositionProvider`` (``cst/positions.py``) are its lines,
node for node, and a check computes it only for a tree it reports on or rewrites."""

from __future__ import annotations

import ast
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods.analysis.syntax import Syntax
from codemods.core.settings import Settings
from codemods.cst.positions import TreeLines
from codemods.cst.qualified import NameWrapper
from codemods.engine.worker import elision
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry

REPO = Path(__file__).resolve().parents[1]
APPS = (REPO / "fixtures" / "legacy_app", REPO / "fixtures" / "realistic_app")
REALWORLD = Path(
    os.environ.get(
        "CODEMODS_REALWORLD_SRC",
        Path.home() / ".cache" / "taskgroup-codemods" / "realworld" / "src",
    )
)
EVERY = tuple(spec.code for spec in registry.CODEMODS)


def disagreements(text: str, tree: ast.Module | None = None) -> list[str]:
    """Where the lines of ``text``'s tree without ``PositionProvider`` differ from
    its lines (empty: none); also that every function and class was matched."""
    module = cst.parse_module(text)
    wrapper = NameWrapper(module, None, text, tree)
    lines = wrapper.lines
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found: list[str] = []
    if lines.end_line() != positions[module].end.line:
        found.append(f"module ends on {lines.end_line()}")
    definitions = [
        node for node in positions if isinstance(node, (cst.FunctionDef, cst.ClassDef))
    ]
    if len(lines.definitions()) != len(definitions):
        found.append(f"{len(lines.definitions())} of {len(definitions)} matched")
    for node in definitions:
        where = positions[node]
        if lines.span(node) != (where.start.line, where.end.line):
            found.append(f"{node.name.value}: {lines.span(node)} != {where}")
    for node in definitions:
        if isinstance(node, cst.FunctionDef):
            line_of = lines.within(node)
            for inner in _nodes(node):
                where = positions[inner]
                span = (where.start.line, where.end.line)
                if line_of(inner) != span[0] or lines.span(inner) != span:
                    found.append(f"{type(inner).__name__} in {node.name.value}")
    return found


def _nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    yield node
    for child in node.children:
        yield from _nodes(child)


def _read(path: Path) -> str | None:
    """The text of ``path`` as the engine reads it (line endings kept), if LibCST
    parses it."""
    try:
        text = path.read_bytes().decode("utf-8")
        cst.parse_module(text)
    except (UnicodeDecodeError, cst.ParserSyntaxError, RecursionError):
        return None
    return text


def _sources(*roots: Path) -> list[Path]:
    return sorted(path for root in roots for path in root.rglob("*.py"))


CASES = _sources(*(spec.cases for spec in registry.CODEMODS))


@pytest.mark.parametrize(
    "path", [*CASES, *_sources(*APPS)], ids=lambda path: str(path.relative_to(REPO))
)
def test_lines_are_position_providers_on_cases_and_apps(path: Path) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("LibCST does not parse it (a case of a file in error)")
    assert disagreements(text) == []


def _projects() -> list[Path | None]:
    """The unpacked real-world projects (None: there are none here)."""
    found = sorted(path for path in REALWORLD.glob("*") if path.is_dir())
    return [*found] if found else [None]


@pytest.mark.slow
@pytest.mark.parametrize(
    "project", _projects(), ids=lambda path: "none" if path is None else path.name
)
def test_lines_are_position_providers_on_real_world_sources(
    project: Path | None,
) -> None:
    assert_agrees_on_project(project, disagreements)


def assert_agrees_on_project(
    project: Path | None, disagreements: Callable[[str], list[str]]
) -> None:
    """``disagreements`` is empty on every file of ``project`` LibCST parses (None:
    skipped, the projects are not unpacked)."""
    if project is None:
        pytest.skip(
            f"no real-world sources at {REALWORLD}: `python -m benchmarks.realworld`"
            " unpacks them (or set CODEMODS_REALWORLD_SRC)"
        )
    checked = 0
    for path in _sources(project):
        text = _read(path)
        if text is not None:
            assert disagreements(text) == [], path
            checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("@a\n@b(\n  1)\nasync def f(x):\n    pass\n", id="decorators"),
        pytest.param("def f():\n    x = 1\n    # a comment\n\n\ny = 2\n", id="footer"),
        pytest.param("def f():\n    return (\n        1\n    )\n", id="parenthesised"),
        pytest.param("def f(): x = 1; y = 2;\n", id="one_line_suite"),
        pytest.param(
            "class C:\n    def f(self):\n        x = \\\n  1\n", id="continued"
        ),
        pytest.param(
            "if a:\n    def f(): pass\nelif b:\n    class C: pass\nelse:\n"
            "    def g(): pass\n",
            id="elif",
        ),
        pytest.param(
            "try:\n    def f(): pass\nexcept E:\n    def g(): pass\nelse:\n"
            "    def h(): pass\nfinally:\n    class C: pass\n",
            id="try",
        ),
        pytest.param(
            "match x:\n    case 1:\n        def f(): pass\n    case _:\n"
            "        class C: pass\n",
            id="match",
        ),
        pytest.param(
            "for x in y:\n    def f(): pass\nelse:\n    def g(): pass\n"
            "while z:\n    async def h(): pass\nwith m:\n    class D: pass\n",
            id="loops_and_with",
        ),
        pytest.param("def f():\r\n    g(\r\n    1)\r\n", id="crlf"),
        pytest.param("def f():\r    g(\r    1)\r", id="lone_cr"),
        pytest.param("def f():\n    pass\n\x0c\ndef g():\n    h()\n", id="form_feed"),
        pytest.param("def f():\n    s = '\u2028'\n    g()\n", id="line_separator"),
        pytest.param("def \uff46():\n    pass\n", id="full_width_name"),
        pytest.param("def f():\n    pass", id="no_final_newline"),
        pytest.param("x = 1\n\n# c\n  ", id="unended_comment"),
        pytest.param("def f():\r    pass\r", id="ending_lone_cr"),
        pytest.param("", id="empty"),
        pytest.param(
            "def f():\n    def g():\n        class C:\n            def h(self):\n"
            "                return [i for i in range(3)]\n    return g\n",
            id="nested",
        ),
        pytest.param(
            "def f():\n    x = f'''{\n1}'''\n    (a)(b)(\n  c)\n",
            id="strings_and_calls",
        ),
    ],
)
def test_lines_are_position_providers_on_shapes(source: str) -> None:
    assert disagreements(source) == []


def test_trees_that_disagree_fall_back_to_position_provider() -> None:
    text = "def f():\n    pass\n\n\ndef g():\n    pass\n"
    other = ast.parse("def f():\n    pass\ndef h():\n    pass\n")
    module = cst.parse_module(text)
    lines = NameWrapper(module, None, text, other).lines
    assert lines.definitions() == {}
    g = module.body[1]
    assert isinstance(g, cst.FunctionDef)
    assert lines.span(g) == (5, 6)
    assert TreeLines(MetadataWrapper(module)).definitions() == {}


def test_an_elided_text_is_counted_in_its_own_lines() -> None:
    text = (
        REPO / "fixtures" / "legacy_app" / "resync" / "core" / "encrypted_audit.py"
    ).read_text()
    syntax = Syntax(text)
    wanted = elision.Plan(("never_spelled",), facts=False, planned=frozenset())
    elided = elision.elide(syntax, wanted)
    assert elided is not None and elided.text != text
    assert disagreements(elided.text) == []


class _Counted:
    """Counts ``PositionProvider``'s computations of whole trees."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.trees = 0
        original = PositionProvider._gen_impl

        def counted(provider: PositionProvider, module: cst.Module) -> None:
            self.trees += 1
            original(provider, module)

        monkeypatch.setattr(PositionProvider, "_gen_impl", counted)


CANDIDATE = textwrap.dedent(
    """\
    import asyncio


    class Service:
        def __init__(self) -> None:
            self.tg: asyncio.TaskGroup | None = None

        async def start(self, tg: asyncio.TaskGroup) -> None:
            tg.create_task(self.work())

        async def work(self) -> None:
            await asyncio.sleep(1)


    async def main() -> None:
        async with asyncio.TaskGroup() as tg:
            await Service().start(tg)
            tg.create_task(asyncio.sleep(0))


    asyncio.run(main())
    """
)


def test_a_check_without_findings_computes_no_positions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = _Counted(monkeypatch)
    done = transform_text(CANDIDATE, EVERY, Settings(select=EVERY), module_name="svc")
    assert done.findings == () and not done.changed
    assert counted.trees == 0


def test_a_finding_computes_the_positions_of_its_statement_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = _Counted(monkeypatch)
    dangling = CANDIDATE.replace(
        "tg.create_task(asyncio.sleep(0))", "asyncio.create_task(asyncio.sleep(0))"
    )
    done = transform_text(dangling, EVERY, Settings(select=EVERY), module_name="svc")
    assert [(finding.line, finding.col) for finding in done.findings] == [(18, 9)]
    assert counted.trees == 0  # the line and column from `main`'s code alone
