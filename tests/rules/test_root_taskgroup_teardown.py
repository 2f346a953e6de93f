"""TG007's split of an entry point's shutdown code, run: what releases a resource the
root's tasks use runs once they are done, and exactly where it ran before (not after
a startup failure that never reached ``yield``, yes after an exception thrown into
it). The rule itself is ``codemods/rules/root_taskgroup/teardown.py``; its golden
cases run in ``tests/test_golden.py``."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.golden import run
from tests.support.trackers import TRACK_TASK

# A worker that still writes through the client for a while after shutdown begins; the
# lifespan closes the client at the end of its shutdown code. Run as a configured
# entry point (`contextlib.asynccontextmanager`, no application needed).
LIFESPAN = """
import asyncio
import contextlib
from collections.abc import AsyncIterator


class Client:
    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.closed = False

    async def aclose(self) -> None:
        self.events.append("client closed")
        self.closed = True


class Worker:
    def __init__(self, client: Client) -> None:
        self.client = client

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        spawn = asyncio.create_task if tg is None else tg.create_task
        self.task = spawn(self._run())

    async def _run(self) -> None:
        try:
            for _ in range(5):
                await asyncio.sleep(0.01)
                if self.client.closed:
                    self.client.events.append("written after the client closed")
            self.client.events.append("worker done")
        except asyncio.CancelledError:
            self.client.events.append("worker cancelled")
            raise


@contextlib.asynccontextmanager
async def lifespan(events: list[str], fail_at_startup: bool) -> AsyncIterator[None]:
    client = Client(events)
    worker = Worker(client)
    await worker.start()
    if fail_at_startup:
        raise RuntimeError("startup failed")
    try:
        yield
    finally:
        events.append("stopping")
        await client.aclose()
"""
TABLE = {
    "select": ["TG007", "TG005"],
    "TG007": {"entry-points": ["m:lifespan"], "drain-timeout": 5},
}
Lifespan = Callable[[list[str], bool], contextlib.AbstractAsyncContextManager[None]]


def _lifespans() -> tuple[Lifespan, Lifespan]:
    """The lifespan before and after the migration."""
    result = run("TG007", LIFESPAN, table=TABLE)
    assert [f.rule for f in result.findings] == ["TG007", "TG005"]
    assert "statement releasing what they use runs once they are done" in (
        result.findings[0].message
    )
    found: list[Lifespan] = []
    for text in (run("TG007", LIFESPAN, table={"select": []}).text, result.text):
        namespace: dict[str, Any] = {}
        exec(compile(text, "lifespan.py", "exec"), namespace)
        found.append(namespace["lifespan"])
    return found[0], found[1]


async def _served(lifespan: Lifespan, events: list[str], body: str) -> None:
    async with lifespan(events, body == "startup failure"):
        await asyncio.sleep(0.02)  # the worker runs
        if body == "failure":
            raise KeyError("request failed")
    await asyncio.sleep(0.1)  # the legacy worker, unowned, may still run


def test_the_client_is_closed_only_after_the_roots_worker_finished() -> None:
    legacy, migrated = _lifespans()
    before: list[str] = []
    asyncio.run(_served(legacy, before, "normal"))
    # The legacy code closed the client under the running worker.
    assert before[:2] == ["stopping", "client closed"]
    assert "written after the client closed" in before
    after: list[str] = []
    asyncio.run(asyncio.wait_for(_served(migrated, after, "normal"), timeout=30))
    assert after == ["stopping", "worker done", "client closed"]


def test_a_startup_failure_before_the_yield_releases_nothing_as_before() -> None:
    legacy, migrated = _lifespans()
    before: list[str] = []
    with pytest.raises(RuntimeError, match="startup failed"):
        asyncio.run(_served(legacy, before, "startup failure"))
    assert "client closed" not in before
    after: list[str] = []
    with pytest.raises(ExceptionGroup) as caught:
        asyncio.run(_served(migrated, after, "startup failure"))
    assert caught.group_contains(RuntimeError, match="startup failed")
    assert "client closed" not in after


def test_an_exception_thrown_into_the_yield_still_releases_after_the_workers() -> None:
    legacy, migrated = _lifespans()
    before: list[str] = []
    with pytest.raises(KeyError):
        asyncio.run(_served(legacy, before, "failure"))
    assert "client closed" in before
    after: list[str] = []
    with pytest.raises(ExceptionGroup) as caught:
        asyncio.run(asyncio.wait_for(_served(migrated, after, "failure"), timeout=30))
    assert caught.group_contains(KeyError)
    # The failure cancels the root's worker; the client is closed after it.
    assert after == ["stopping", "worker cancelled", "client closed"]


# A tracker in the module itself: its `cancel_all_tasks(grace)` at the end of the
# shutdown code gives the drain deadline unless `drain-timeout` is configured.
TRACKED = (
    """
import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any

"""
    + TRACK_TASK
    + """

async def cancel_all_tasks(timeout: float) -> None:
    for task in list(_tasks):
        task.cancel()


class Worker:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        pass


@contextlib.asynccontextmanager
async def lifespan(grace: float) -> AsyncIterator[None]:
    await Worker().start()
    try:
        yield
    finally:
        await cancel_all_tasks(grace)
"""
)


@pytest.mark.parametrize(
    ("configured", "deadline"),
    [
        ({}, "get_running_loop().time() + grace\n"),
        ({"drain-timeout": 5}, "get_running_loop().time() + 5.0)"),
    ],
)
def test_the_drain_timeout_is_the_legacy_cancels_unless_one_is_configured(
    configured: dict[str, float], deadline: str
) -> None:
    options = {"entry-points": ["m:lifespan"], **configured}
    result = run("TG007", TRACKED, table={"select": ["TG007"], "TG007": options})
    assert deadline in result.text
    assert result.text.count("await cancel_all_tasks(grace)") == 1
    said = "`grace` s (the timeout `cancel_all_tasks()` is given)"
    assert (said in result.findings[0].message) == (not configured)


# An entry point's shutdown code, with `{setup}` before its root's start and
# `{shutdown}` after the call it waits on.
SHAPE = """
import asyncio
import logging


class Worker:
    def __init__(self, *args: object) -> None:
        pass

    async def start(
        self, *streams: Worker, tg: asyncio.TaskGroup | None = None
    ) -> None:
        pass

    async def aclose(self) -> None:
        pass


async def main() -> None:
    stream = Worker()
    client = Worker()
    worker = Worker(client)
{setup}
    await worker.start(stream)
    await asyncio.sleep(1)
{shutdown}
"""


@pytest.mark.parametrize(
    ("setup", "shutdown", "moved"),
    [
        pytest.param("", "    logging.info('bye')", True, id="a_log_line_moves"),
        # A client the worker was built with: closed once the worker is done.
        pytest.param("", "    await client.aclose()", True, id="its_client_moves"),
        # What was started with the TaskGroup, or given to what was, stops it.
        pytest.param("", "    await worker.aclose()", False, id="the_started_stays"),
        pytest.param("", "    await stream.aclose()", False, id="what_it_reads_stays"),
        pytest.param(
            "    alias = worker", "    await alias.aclose()", False, id="an_alias_stays"
        ),
        # Nothing follows a call main() waits on: its last line is no shutdown code.
        pytest.param(
            "", "    await worker.start()\n    logging.info('up')", False, id="no_wait"
        ),
        pytest.param(
            "    def bump() -> None:\n        nonlocal stream\n        stream = Worker()",
            "    logging.info('bye')",
            False,
            id="nonlocal_rebinding",
        ),
    ],
)
def test_what_moves_after_the_group(setup: str, shutdown: str, moved: bool) -> None:
    source = SHAPE.format(setup=setup, shutdown=shutdown)
    options = {"entry-points": ["m:main"]}
    result = run("TG007", source, table={"select": ["TG007"], "TG007": options})
    assert result.changed
    assert ("stopped = False" in result.text) is moved
    if "nonlocal" in setup:
        assert "stays in the group: a nested function rebinds" in (
            result.findings[0].message
        )


def test_after_a_bare_yield_the_tail_runs_on_a_clean_exit_only_as_before() -> None:
    source = LIFESPAN.replace(
        "    try:\n        yield\n    finally:\n        events.append",
        "    yield\n    if True:\n        events.append",
    ).replace("        await client.aclose()", "    await client.aclose()")
    assert "    yield\n    if True:" in source
    result = run("TG007", source, table=TABLE)
    assert "stopped = False" in result.text
    namespace: dict[str, Any] = {}
    exec(compile(result.text, "lifespan.py", "exec"), namespace)
    clean: list[str] = []
    asyncio.run(asyncio.wait_for(_served(namespace["lifespan"], clean, "ok"), 30))
    assert clean == ["stopping", "worker done", "client closed"]
    failed: list[str] = []
    with pytest.raises(ExceptionGroup):
        asyncio.run(_served(namespace["lifespan"], failed, "failure"))
    # An exception thrown into a bare `yield` skips what follows it, then and now.
    assert failed == ["worker cancelled"]
