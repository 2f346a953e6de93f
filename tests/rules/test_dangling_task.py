"""TG003 dangling-task beyond its golden cases: findings it reports without fixing, the
``task-names`` option, and the facts other codemods (TG005) read from it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, QualifiedNameProvider

from codemods import config
from codemods.core.noqa import ignored_discards
from codemods.core.settings import ConfigError, Settings
from codemods.cst.build import with_keyword
from codemods.cst.coroutines import Coroutines, coroutine_functions
from codemods.cst.qualified import imported_names
from codemods.rules import registry
from codemods.rules.dangling_task.analysis import (
    KEEP_FUTURE,
    dangling_spawns,
    find_dangling,
    gains_taskgroup,
)
from codemods.rules.dangling_task.keeping import (
    constructor_gains_taskgroup,
    group_keeping,
)
from tests.support.golden import run

Resolve = Callable[[cst.CSTNode], set[str]]


def _parsed(source: str) -> tuple[cst.Module, Resolve]:
    wrapper = MetadataWrapper(cst.parse_module(textwrap.dedent(source)))
    names = wrapper.resolve(QualifiedNameProvider)

    def resolve(node: cst.CSTNode) -> set[str]:
        found = names.get(node, set())
        # QualifiedNameProvider computes lazily (LibCST's get_metadata does the same).
        return imported_names(found() if callable(found) else found, None)

    return wrapper.module, resolve


def _function(module: cst.Module, name: str) -> cst.FunctionDef:
    found = [
        node
        for node in _walk(module)
        if isinstance(node, cst.FunctionDef) and node.name.value == name
    ]
    assert len(found) == 1
    return found[0]


def _class(module: cst.Module, name: str) -> cst.ClassDef:
    found = [
        s for s in module.body if isinstance(s, cst.ClassDef) and s.name.value == name
    ]
    assert len(found) == 1
    return found[0]


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    return [node, *(n for child in node.children for n in _walk(child))]


def _run(source: str, **options: object) -> tuple[str, list[tuple[int, bool, str]]]:
    """TG003 with ``options`` over ``source``: its text, and each finding's line,
    fixability and message."""
    result = run("TG003", source, options=options)
    return result.text, [(f.line, f.fixable, f.message) for f in result.findings]


def _run_passing(
    source: str, **options: object
) -> tuple[str, list[tuple[int, bool, str]]]:
    """As ``_run``, with TG005 selected too: only a run that passes TaskGroups gives
    a function the parameter (TG003's findings only)."""
    table = {"select": ["TG003", "TG005"]}
    result = run("TG003", source, options=options, table=table)
    found = [
        (f.line, f.fixable, f.message) for f in result.findings if f.rule == "TG003"
    ]
    return result.text, found


FACTS_SOURCE = """
    import asyncio
    from asyncio import create_task as spawn


    class Runner:
        def __init__(self, size: int) -> None:
            self.size = size

        async def start(self) -> None:
            asyncio.create_task(self.run())

        async def run(self) -> None:
            await asyncio.sleep(0)
            self.keep = asyncio.create_task(asyncio.sleep(1))

        async def already(self, tg: asyncio.TaskGroup | None = None) -> None:
            spawn(self.run())

        async def inside(self) -> None:
            async with asyncio.TaskGroup() as group:
                asyncio.ensure_future(self.run())

        def sync(self) -> None:
            asyncio.create_task(self.run())


    class Plain:
        async def go(self) -> None:
            await asyncio.sleep(0)


    class Kept:
        def __init__(self, tg: asyncio.TaskGroup | None = None) -> None:
            self.tg = tg

        async def go(self) -> None:
            asyncio.create_task(asyncio.sleep(0))


    class Taken:
        def __init__(self, tg: str) -> None:
            self.tg = tg

        async def go(self) -> None:
            asyncio.create_task(asyncio.sleep(0))


    class Reads:
        def __init__(self) -> None:
            self.ready = False

        def __repr__(self) -> str:
            return f"<Reads taskgroup={self.tg is not None}>"

        async def go(self) -> None:
            asyncio.create_task(asyncio.sleep(0))


    class ClassAttribute:
        tg = "telegram"

        def __init__(self) -> None:
            self.ready = False

        async def go(self) -> None:
            asyncio.create_task(asyncio.sleep(0))
"""


class TestFacts:
    """The pure decisions TG005 calls: which functions and constructors gain ``tg``."""

    def setup_method(self) -> None:
        self.module, self.resolve = _parsed(FACTS_SOURCE)

    def test_dangling_spawns_are_discarded_ones_without_a_certain_group(self) -> None:
        spawns = dangling_spawns(_function(self.module, "start"), self.resolve)
        assert [cst.Module([]).code_for_node(c) for c in spawns] == [
            "asyncio.create_task(self.run())"
        ]
        assert dangling_spawns(_function(self.module, "run"), self.resolve) == []
        assert dangling_spawns(_function(self.module, "inside"), self.resolve) == []

    @pytest.mark.parametrize(
        ("name", "gains"),
        [
            ("start", True),  # gains the parameter
            ("run", False),  # the task is stored
            ("already", False),  # has an optional TaskGroup parameter already
            ("inside", False),  # spawns into the enclosing TaskGroup in place
            ("sync", False),  # reported, not fixed
        ],
    )
    def test_gains_taskgroup(self, name: str, gains: bool) -> None:
        assert gains_taskgroup(_function(self.module, name), self.resolve) is gains

    def test_gains_taskgroup_honours_suppressed_calls(self) -> None:
        start = _function(self.module, "start")
        assert not gains_taskgroup(start, self.resolve, suppressed=lambda call: True)

    def test_in_place_spawn_names_its_group(self) -> None:
        provable = Coroutines(self.resolve, methods=frozenset({"run"}))
        inside = _function(self.module, "inside")
        (entry,) = find_dangling(inside, self.resolve, coroutines=provable)
        assert (entry.group, entry.problem) == ("group", None)
        # Without knowing that `self.run()` is a coroutine, it may be a Future.
        (entry,) = find_dangling(inside, self.resolve)
        assert (entry.group, entry.keep) == (None, KEEP_FUTURE)

    @pytest.mark.parametrize(
        ("name", "keeping", "gains"),
        [
            ("Runner", (True, True), True),
            ("Plain", None, False),  # no __init__: methods use their own `tg`
            ("Kept", (False, False), False),  # already takes and keeps one
            ("Taken", None, False),  # `tg` means something else there
            ("Reads", (True, True), True),  # only reads `self.tg`: wants this one
            ("ClassAttribute", None, False),  # a class attribute `tg` already
        ],
    )
    def test_constructor(
        self, name: str, keeping: tuple[bool, bool] | None, gains: bool
    ) -> None:
        node = _class(self.module, name)
        assert group_keeping(node, self.resolve) == keeping
        assert constructor_gains_taskgroup(node, self.resolve) is gains

    def test_configured_parameter_name(self) -> None:
        node = _class(self.module, "Taken")
        assert group_keeping(node, self.resolve, "task_group") == (True, True)
        assert constructor_gains_taskgroup(node, self.resolve, "task_group")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            """
            import asyncio

            async def f() -> None:
                asyncio.create_task(g(), loop=None)
            """,
            "`asyncio.create_task()` passes `loop=`, which TaskGroup.create_task() "
            "does not accept: migrate it by hand",
            id="unsupported_keyword",
        ),
        pytest.param(
            """
            import asyncio

            async def f(tg: int) -> None:
                asyncio.create_task(g())
            """,
            "`asyncio.create_task()` needs a TaskGroup parameter, but `tg` already "
            "means something else in `f()`",
            id="parameter_name_taken",
        ),
        pytest.param(
            """
            import asyncio

            asyncio.create_task(g())
            """,
            "`asyncio.create_task()` runs outside any function, so nothing can own its "
            "task: a person must decide which function starts it",
            id="module_level",
        ),
    ],
)
def test_reported_and_left_alone(source: str, message: str) -> None:
    text, findings = _run(source)
    assert text == textwrap.dedent(source)
    assert [(fixable, found) for _, fixable, found in findings] == [(False, message)]


def test_noqa_suppresses_the_finding_and_the_fix() -> None:
    source = """
        import asyncio

        async def f() -> None:
            asyncio.create_task(g())  # noqa: TG003
            asyncio.create_task(g())  # noqa
    """
    assert _run(source) == (textwrap.dedent(source), [])


def test_fix_is_reported_at_the_call() -> None:
    _, findings = _run_passing(
        """
        import asyncio

        async def f() -> None:
            asyncio.create_task(g())

        async def serve() -> None:
            async with asyncio.TaskGroup() as tg:
                await f()
        """
    )
    # The parameter it adds is reported at the `def`, so a review can attribute it.
    assert findings == [
        (4, True, "`f()` takes the TaskGroup for the tasks it spawns as `tg`"),
        (
            5,
            True,
            "spawn the task `asyncio.create_task()` throws away into `tg`, else keep a "
            "strong reference to it until it is done",
        ),
    ]


def test_without_tg005_in_the_run_nothing_gains_the_parameter() -> None:
    # The caller holds a TaskGroup, but only TG005 would pass it: TG003 alone
    # writes the strong reference and leaves the signature as it is.
    text, findings = _run(
        """
        import asyncio

        async def f() -> None:
            asyncio.create_task(g())

        async def serve() -> None:
            async with asyncio.TaskGroup() as tg:
                await f()
        """
    )
    assert "async def f() -> None:" in text
    assert "_background_tasks.add(task)" in text
    assert findings[-1][2].endswith(
        "since this run passes no TaskGroups (select TG005 too, and `f()` takes one "
        "where a caller has one to pass)"
    )


def test_unusable_task_name_template_is_reported_and_the_task_left_unnamed() -> None:
    text, findings = _run_passing(
        """
        import asyncio

        async def f(key: str) -> None:
            asyncio.create_task(g(key))

        async def serve() -> None:
            async with asyncio.TaskGroup() as tg:
                await f("k")
        """,
        **{"task-names": {"g": "f'{key"}},
    )
    assert "name=" not in text
    assert "tg.create_task(g(key))" in text
    reason = 'the task-names template "f\'{key" is not a Python expression'
    assert (5, False, reason) in findings


def test_no_caller_passing_a_taskgroup_means_no_parameter() -> None:
    # No dead plumbing: nothing in the run could fill `tg`, so only the strong
    # reference is written and the signature stays.
    text, findings = _run_passing(
        """
        import asyncio

        async def f() -> None:
            asyncio.create_task(g())

        async def caller() -> None:
            await f()
        """
    )
    assert "async def f() -> None:" in text
    assert "tg" not in text
    assert findings == [
        (
            5,
            True,
            "keep a strong reference to the task `asyncio.create_task()` throws away "
            "until it is done, since no caller in this run has a TaskGroup to pass to "
            "`f()` (none calls it inside a TaskGroup, from an entry point or from a "
            "function that has one)",
        )
    ]


def test_a_caller_that_gains_the_parameter_passes_it_on() -> None:
    # `outer` gains `tg` (its caller is in a TaskGroup), so its call of `inner`
    # passes one, and `inner` gains it too: worked out to a fixed point.
    text, _ = _run_passing(
        """
        import asyncio

        async def inner() -> None:
            asyncio.create_task(g())

        async def outer() -> None:
            asyncio.create_task(g())
            await inner()

        async def serve() -> None:
            async with asyncio.TaskGroup() as tg:
                await outer()
        """
    )
    assert "async def inner(tg: asyncio.TaskGroup | None = None)" in text
    assert "async def outer(tg: asyncio.TaskGroup | None = None)" in text


def test_task_names_option_must_be_a_table() -> None:
    with pytest.raises(ConfigError, match=r"'TG003\.task-names' must be dict"):
        config.parse_table({"TG003": {"task-names": "x"}}, source="pyproject.toml")
    assert registry.option(Settings(), "TG003", "task-names") == {}


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("f(x)", 'f(x, name="n")'),
        ("f()", 'f(name="n")'),
        ("f(\n    x\n)", 'f(\n    x, name="n"\n)'),
        ("f(\n    x,\n    y,\n)", 'f(\n    x,\n    y,\n    name="n",\n)'),
        ("f(  # why\n    x,\n)", 'f(  # why\n    x,\n    name="n",\n)'),
    ],
)
def test_with_keyword_keeps_the_call_layout(call: str, expected: str) -> None:
    parsed = cst.parse_expression(call)
    assert isinstance(parsed, cst.Call)
    added = with_keyword(parsed, "name", cst.parse_expression('"n"'))
    assert cst.Module([]).code_for_node(added) == expected


def test_a_stale_type_ignore_is_kept_and_named() -> None:
    """The fix keeps every comment on the line; a ``# type: ignore`` of the discarded
    value then ignores nothing, which the finding says (mypy's warn_unused_ignores)."""
    text, findings = _run(
        """
        import asyncio

        class Server:
            def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
                self.loop = loop

            def end(self) -> None:
                self.loop.create_task(self.finish())  # type: ignore[unused-awaitable]

            async def finish(self) -> None: ...
        """
    )
    assert "task = self.loop.create_task(self.finish())  # type: ignore[unused-" in text
    ((_, fixable, message),) = findings
    assert fixable
    assert message.endswith(
        "the line's `# type: ignore[unused-awaitable]` ignores nothing: remove it"
    )


@pytest.mark.parametrize(
    ("comment", "codes"),
    [
        ("# type: ignore[unused-awaitable]", "unused-awaitable"),
        ("# type: ignore[arg-type, unused-coroutine]  # why", "unused-coroutine"),
        ("# type: ignore[arg-type]", None),
        ("# pragma: no cover", None),
    ],
)
def test_ignored_discards(comment: str, codes: str | None) -> None:
    assert ignored_discards(comment) == codes


def test_coroutine_functions_are_plain_async_defs_bound_once() -> None:
    module = cst.parse_module(
        textwrap.dedent(
            """
            async def once() -> None: ...
            async def twice() -> None: ...
            twice = wrap(twice)
            @decorated
            async def changed() -> None: ...
            def plain() -> None: ...
            if flag:
                async def maybe() -> None: ...
            async def shadowed() -> None: ...
            if flag:
                shadowed = other
            """
        )
    )
    assert coroutine_functions(module.body) == {"once"}
