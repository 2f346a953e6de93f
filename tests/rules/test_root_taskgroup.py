"""TG007 root-taskgroup: which entry points it roots, where it stays away, and how the
code it writes behaves when run: shutdown drains and then cancels, a failing background
task cancels its siblings. Its golden cases run in ``tests/test_golden.py``."""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import pytest

from codemods.analysis.relevance import walk
from codemods.core.settings import Settings
from codemods.rules import registry
from codemods.rules.root_taskgroup.spec import SPEC
from tests.support.golden import run

# A service whose worker runs until cancelled, and may fail after `fail_after` seconds;
# `main` is rooted by TG007 and given the TaskGroup by TG005.
SERVICE = """
import asyncio


class Worker:
    def __init__(self, events: list[str], fail_after: float | None) -> None:
        self.events = events
        self.fail_after = fail_after

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        assert tg is not None, "no TaskGroup was passed down"
        tg.create_task(self._run())

    async def _run(self) -> None:
        try:
            if self.fail_after is not None:
                await asyncio.sleep(self.fail_after)
                raise RuntimeError("worker failed")
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            self.events.append("worker cancelled")
            raise


async def main(events: list[str], fail_after: float | None, run_for: float) -> None:
    await Worker(events, fail_after).start()
    try:
        await asyncio.sleep(run_for)
    except asyncio.CancelledError:
        events.append("main cancelled")
        raise
    events.append("main done")


def entry(events: list[str], fail_after: float | None, run_for: float) -> None:
    asyncio.run(main(events, fail_after, run_for))
"""
ROOTED = {
    "select": ["TG007", "TG005"],
    "TG007": {"entry-points": ["m:main"], "drain-timeout": 0.2},
}


def _migrated_main() -> Callable[[list[str], float | None, float], Awaitable[None]]:
    result = run("TG007", SERVICE, table=ROOTED)
    assert [f.rule for f in result.findings] == ["TG007", "TG005"]
    namespace: dict[str, Any] = {}
    exec(compile(result.text, "migrated.py", "exec"), namespace)
    return cast(
        Callable[[list[str], float | None, float], Awaitable[None]], namespace["main"]
    )


def test_it_runs_after_the_codemods_that_give_callees_a_taskgroup_and_before_tg005() -> (
    None
):
    codes = [spec.code for spec in registry.CODEMODS]
    assert codes.index("TG002") < codes.index("TG007") < codes.index("TG005")
    assert codes.index("TG003") < codes.index("TG007")


def test_shutdown_cancels_what_outlives_the_drain_timeout_and_returns() -> None:
    main = _migrated_main()
    events: list[str] = []
    started = time.monotonic()
    asyncio.run(asyncio.wait_for(main(events, None, 0.0), timeout=30))
    # The worker would sleep an hour: the drain deadline cancelled it, and the entry
    # point returned normally (the drain's TimeoutError is its own).
    assert events == ["main done", "worker cancelled"]
    assert time.monotonic() - started < 30


def test_a_failing_background_task_cancels_its_siblings_and_the_entry_point() -> None:
    main = _migrated_main()
    events: list[str] = []
    with pytest.raises(ExceptionGroup) as raised:
        asyncio.run(asyncio.wait_for(main(events, 0.01, 3600), timeout=30))
    # The changed failure semantics the finding and `explain` state.
    assert raised.group_contains(RuntimeError, match="worker failed")
    assert events == ["main cancelled"]


def test_an_exception_of_the_entry_point_itself_leaves_it_in_an_exception_group() -> (
    None
):
    source = SERVICE.replace(
        '    events.append("main done")', '    raise KeyError("main failed")'
    )
    result = run("TG007", source, table=ROOTED)
    namespace: dict[str, Any] = {}
    exec(compile(result.text, "migrated.py", "exec"), namespace)
    events: list[str] = []
    with pytest.raises(ExceptionGroup) as raised:
        asyncio.run(namespace["main"](events, None, 0.0))
    assert raised.group_contains(KeyError)
    assert events == ["worker cancelled"]


def test_only_top_level_async_functions_are_entry_points() -> None:
    source = SERVICE.replace("async def main(", "def main(", 1)
    assert not run("TG007", source, table=ROOTED).changed
    nested = """
    import asyncio


    class Worker:
        async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
            pass


    def outer() -> None:
        async def main() -> None:
            await Worker().start()

        asyncio.run(main())
    """
    assert not run("TG007", nested, table={"select": ["TG007", "TG005"]}).changed


def test_a_lifespan_not_known_to_be_an_applications_is_left_alone() -> None:
    # An asynccontextmanager taking no app and given to no application: any context
    # manager could look like this.
    source = """
    import asyncio
    import contextlib
    from collections.abc import AsyncIterator


    class Worker:
        async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
            pass


    @contextlib.asynccontextmanager
    async def session() -> AsyncIterator[None]:
        await Worker().start()
        yield
    """
    assert not run("TG007", source, table={"select": ["TG007", "TG005"]}).changed


def test_a_suppressed_finding_changes_nothing() -> None:
    source = SERVICE.replace(
        "async def main(events: list[str], fail_after: float | None, run_for: float)"
        " -> None:",
        "async def main(  # noqa: TG007\n"
        "    events: list[str], fail_after: float | None, run_for: float\n"
        ") -> None:",
    )
    result = run("TG007", source, table=ROOTED)
    assert "TaskGroup()" not in result.text
    assert [f.rule for f in result.findings] == []


@pytest.mark.parametrize(
    ("source", "relevant"),
    [
        ("import asyncio\nasyncio.run(main())\n", True),
        ("import asyncio as aio\naio.run(main())\n", True),
        ("from asyncio import run as go\ngo(main())\n", True),
        # `run` alone names too many methods: a file merely spelling it is not parsed.
        (
            "import asyncio\nclass Job:\n    def run(self) -> None:\n        self.run()\n",
            False,
        ),
        (
            "import contextlib\n@contextlib.asynccontextmanager\nasync def f(): yield\n",
            True,
        ),
        ("app.cleanup_ctx.append(ctx)\n", True),
    ],
)
def test_which_files_its_relevance_question_lets_through(
    source: str, relevant: bool
) -> None:
    seen = walk(ast.parse(source), source, frozenset({"start"}))
    assert SPEC.relevant(seen, Settings()) is relevant


def test_an_endpoint_spawns_into_the_root_the_lifespan_exposes_and_503_without() -> (
    None
):
    """The golden case's migrated app, served: a request's task runs in the lifespan's
    root TaskGroup; with no lifespan running the dependency answers 503."""
    testclient = pytest.importorskip("fastapi.testclient")
    case = SPEC.cases / "fastapi_endpoint_takes_the_root.after.py"
    namespace: dict[str, Any] = {}
    exec(compile(case.read_text(), str(case), "exec"), namespace)
    app = namespace["app"]
    groups: list[object] = []

    async def notify(user: str) -> None:
        groups.append(app.state.task_group)

    namespace["notify"] = notify
    with testclient.TestClient(app) as client:
        response = client.post("/users/ann/welcome")
        assert response.status_code == 200
        group = app.state.task_group
    assert groups and isinstance(group, asyncio.TaskGroup) and groups == [group]
    assert app.state.task_group is None  # cleared at shutdown
    assert testclient.TestClient(app).post("/users/bob/welcome").status_code == 503
