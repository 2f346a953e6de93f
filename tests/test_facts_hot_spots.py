"""The shortcuts the facts and the relevance prefilter take (issue 22, "the facts' hot
spots"): each skips work only where its answer cannot change, so each is tested on the
shapes at its edge (an aliased import, a decorated function, a comment between a dot
and a name, an import in a nested block)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from codemods.analysis.call_sites import written_attribute
from codemods.analysis.collect import collect_facts
from codemods.analysis.facts import ModuleFacts
from codemods.core.noqa import NoqaMap
from codemods.core.settings import Settings
from codemods.rules import registry
from codemods.rules.unawaited_coroutine.reach import _names_in

ROOT = "/nonexistent-root"


def facts(name: str, source: str) -> ModuleFacts:
    text = textwrap.dedent(source)
    settings = Settings()
    return collect_facts(
        MetadataWrapper(cst.parse_module(text)),
        module_name=name,
        settings=settings,
        noqa=NoqaMap.of(text),
        gains=registry.gain_hooks(settings),
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        pytest.param("x.start()", True, id="plain"),
        pytest.param("x . start", True, id="blanks"),
        pytest.param("(x.\n    start)", True, id="line-break-in-brackets"),
        pytest.param("x.\\\n    start", True, id="continuation"),
        pytest.param("(x.  # why\n    start)", True, id="comment-in-brackets"),
        pytest.param("(x.  # a # b\r\n start)", True, id="comment-crlf"),
        pytest.param("x.startswith('a')", False, id="longer-name"),
        pytest.param("started = start()", False, id="no-dot"),
        pytest.param("'''ends.'''\n# " + "#" * 60 + "\n", False, id="banner"),
    ],
)
def test_written_attribute(text: str, written: bool) -> None:
    # The banner: a dot, then a line of `#` that no name follows (a pattern whose
    # comments could split that line took exponential time to say no).
    assert (written_attribute(("start",)).search(text) is not None) == written


def test_method_uses_of_decorated_and_undecorated_functions() -> None:
    module = facts(
        "svc.app",
        """
        @runner.start
        def decorated() -> None:
            started = 1

        def plain() -> None:
            started = 2

        def uses(worker) -> None:
            worker.start()
        """,
    )
    # The decorator stands above the function's lines: still found.
    assert [(use.line, use.caller) for use in module.uses] == [
        (2, "decorated()"),
        (10, "uses()"),
    ]


def test_no_method_use_where_the_text_writes_none() -> None:
    module = facts("svc.app", "def f(worker):\n    return worker.startswith('a')\n")
    assert module.uses == ()


@pytest.mark.parametrize(
    ("source", "taskgroup"),
    [
        pytest.param(
            """
            from asyncio import TaskGroup as Group

            async def run(tg: Group) -> None:
                pass
            """,
            "tg",
            id="aliased",
        ),
        pytest.param(
            """
            import asyncio

            async def run(tg: "asyncio.TaskGroup | None" = None) -> None:
                pass
            """,
            "tg",
            id="quoted-optional",
        ),
        pytest.param(
            """
            from asyncio import Event as TaskGroupLike

            async def run(tg: TaskGroupLike) -> None:
                pass
            """,
            None,
            id="word-but-not-the-class",
        ),
        pytest.param(
            """
            from asyncio import Event as Group

            async def run(tg: Group) -> None:
                pass
            """,
            None,
            id="no-word",
        ),
    ],
)
def test_taskgroup_parameters(source: str, taskgroup: str | None) -> None:
    (function,) = facts("svc.app", source).functions
    assert function.taskgroup_param == taskgroup


def test_calls_in_an_opened_group_are_grouped() -> None:
    (function,) = facts(
        "svc.app",
        """
        from asyncio import TaskGroup as Group

        from svc.jobs import fetch

        async def run() -> None:
            fetch()
            async with Group() as tg:
                fetch()
        """,
    ).functions
    assert [(call.line, call.grouped) for call in function.calls] == [
        (7, False),
        (8, True),  # the group's own constructor: `with` is entered first
        (9, True),
    ]


def test_generator_coroutine_needs_a_written_yield() -> None:
    yielding, plain = facts(
        "svc.app",
        """
        async def ticks():
            yield 1

        async def once():
            def inner():
                yield 2
            return inner
        """,
    ).functions
    assert (yielding.generator, plain.generator) == (True, False)


@pytest.mark.parametrize(
    ("module", "roles"),
    [
        pytest.param("svc.app", ("root",), id="imports-fastapi"),
        pytest.param("fastapi.app", ("root",), id="in-the-package"),
    ],
)
def test_fastapi_roles(module: str, roles: tuple[str, ...]) -> None:
    imports = (
        "from fastapi import FastAPI"
        if module.startswith("svc")
        else "from .applications import FastAPI"
    )
    source = f"""
        from contextlib import asynccontextmanager
        {imports}

        @asynccontextmanager
        async def lifespan(app: FastAPI):
            await app.ready()
            yield
        """
    text = textwrap.dedent(source).replace("\n        ", "\n")
    found = facts(module, text).fastapi
    if module.startswith("fastapi"):
        # `.applications` from `fastapi.app` is `fastapi.applications`: the text
        # spells no `fastapi`, the module's own name does.
        assert "fastapi" not in text
    assert found == roles


def test_project_names_from_every_block() -> None:
    text = textwrap.dedent(
        """
        from . import client
        try:
            from .jobs import fetch
        except ImportError:
            from .old_jobs import fetch_old
        class Bot:
            def __init__(self) -> None:
                if True:
                    self.link = client.Client()
                    self.other = other.Thing()
            async def run(self) -> None:
                from .later import late
                match self:
                    case _:
                        self.held: fetch = None
        """
    )
    assert _names_in(text, ROOT, None) == {
        "client",
        "fetch",
        "fetch_old",
        "late",
        "link",
        "held",
    }
    assert _names_in("x = 1\n", ROOT, None) == frozenset()
