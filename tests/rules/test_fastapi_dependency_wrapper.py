"""The wrapper dependency TG005 writes for a factory FastAPI takes as ``Depends(f)``
(``analysis/dependencies.py``), served: the task the factory spawns when FastAPI calls
it through the wrapper lands in the root TaskGroup the lifespan opens, with no
fallback taken; and the findings name the piece that keeps a wrapper from being
written. The golden cases run in ``tests/test_golden.py``."""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codemods.rules.lifespan_taskgroup.spec import SPEC
from tests.support.golden import run_table
from tests.support.trackers import TRACK_TASK

CASE = SPEC.cases / "dependency_gains_through_a_wrapper"


SELECTED = ["TG003", "TG005", "TG007"]


def _run(
    work: Path, *, write: bool = False, **table: Any
) -> list[tuple[str, str, str]]:
    """The codemods of ``table`` (default: ``SELECTED``) over the tree ``work``:
    each finding's file name, code and message."""
    return [
        (Path(result.path).name, finding.rule, finding.message)
        for result in run_table(work, {"select": SELECTED, **table}, write=write)
        for finding in result.findings
    ]


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[dict[str, ModuleType]]:
    """The case's app as migrated (``before/`` overlaid by ``after/``), imported."""
    root = tmp_path / "served"
    shutil.copytree(CASE / "before", root)
    shutil.copytree(CASE / "after", root, dirs_exist_ok=True)
    sys.path.insert(0, str(root))
    try:
        yield {
            name: importlib.import_module(f"app.{name}") for name in ("main", "limits")
        }
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == "app" or n.startswith("app.")]:
            del sys.modules[name]


def test_the_dependency_spawns_into_the_root_through_its_wrapper(
    migrated: dict[str, ModuleType],
) -> None:
    testclient = pytest.importorskip("fastapi.testclient")
    app, limits = migrated["main"].app, migrated["limits"]
    refills: list[asyncio.Task[object] | None] = []
    stop = threading.Event()  # set from the test's thread: the app runs in another

    async def refill_forever(self: object) -> None:
        refills.append(asyncio.current_task())
        while not stop.is_set():
            await asyncio.sleep(0.01)

    limits.Limiter.refill_forever = refill_forever
    with testclient.TestClient(app) as client:
        # The lifespan made one (given the root by TG005); FastAPI makes the next.
        vars(limits)["_limiter"] = None
        assert client.get("/tokens").json() == 10
        assert client.post("/spend").json() == 9
        root = app.state.task_group
        assert isinstance(root, asyncio.TaskGroup)
        assert len(refills) == 2 and all(t in root._tasks for t in refills)
        assert not limits._background_tasks  # no fallback taken
        stop.set()  # else shutdown waits out the drain timeout
    assert all(t is not None and t.done() for t in refills)
    # No lifespan running: the wrapper's `get_task_group` answers 503.
    assert testclient.TestClient(app).get("/tokens").status_code == 503


@pytest.mark.parametrize(
    ("edited", "old", "new", "blocked"),
    [
        (
            "api.py",
            "from app.limits import Limiter, get_limiter",
            "from app.limits import Limiter, get_limiter as limiter_factory",
            "app/api.py:12 names it through an alias or a re-export",
        ),
        (
            "limits.py",
            "async def get_limiter() -> Limiter:",
            "async def get_limiter(user: str = '') -> Limiter:",
            "FastAPI fills its parameters (`user`), which a wrapper would hide",
        ),
        (
            "limits.py",
            "async def get_limiter() -> Limiter:",
            "async def get_limiter():  # type: ignore[no-untyped-def]",
            "it has no return annotation (a class) for the wrapper to repeat",
        ),
        (
            "limits.py",
            '"""A rate limiter made on first use, refilled in the background."""',
            "def get_limiter_dependency() -> None: ...",
            "`get_limiter_dependency` is already bound in its module",
        ),
    ],
)
def test_a_piece_that_cannot_be_written_keeps_the_signature_and_is_named(
    tmp_path: Path, edited: str, old: str, new: str, blocked: str
) -> None:
    work = tmp_path / "project"
    shutil.copytree(CASE / "before", work)
    module = work / "app" / edited
    text = module.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    if edited == "api.py":
        text = text.replace("Depends(get_limiter)", "Depends(limiter_factory)")
    module.write_text(text)
    findings = _run(work)
    assert [f[:2] for f in findings] == [("limits.py", "TG003")], findings
    message = findings[0][2]
    assert message.startswith("keep a strong reference"), message
    assert "(no wrapper dependency passing it one: " in message
    assert message.endswith(f"{blocked})"), message


def test_the_names_the_index_spells_are_those_of_the_libcst_side() -> None:
    from codemods.analysis import dependencies, fastapi_roles
    from codemods.cst import fastapi

    assert (dependencies.ROOT, dependencies.ENDPOINT) == (
        fastapi_roles.ROOT,
        fastapi_roles.ENDPOINT,
    )
    assert dependencies.DEPENDENCY == fastapi.DEPENDENCY


TRACKER = (
    """\
import asyncio
from collections.abc import Coroutine
from typing import Any

"""
    + TRACK_TASK
)


def test_tg001_names_the_piece_that_blocks_a_wrapper(tmp_path: Path) -> None:
    """The same for a factory calling the tracker: TG001 gives up on it, saying why."""
    work = tmp_path / "project"
    shutil.copytree(CASE / "before", work)
    (work / "app" / "tasks.py").write_text(TRACKER)
    limits = work / "app" / "limits.py"
    limits.write_text(
        limits.read_text()
        .replace(
            "import asyncio\n", "import asyncio\n\nfrom app.tasks import track_task\n"
        )
        .replace("asyncio.create_task(_limiter", "track_task(_limiter")
        .replace("def get_limiter() ->", "def get_limiter(user: str = '') ->")
    )
    found = _run(work, select=["TG001", *SELECTED])
    messages = [message for _, code, message in found if code == "TG001"]
    assert len(messages) == 1, messages
    assert "`get_limiter()` is a FastAPI dependency (" in messages[0]
    assert messages[0].endswith(
        "and no wrapper passing it the root can be written: FastAPI fills its "
        "parameters (`user`), which a wrapper would hide"
    ), messages[0]


def test_a_signature_repointed_past_the_line_length_is_laid_out_again(
    tmp_path: Path,
) -> None:
    work = tmp_path / "project"
    shutil.copytree(CASE / "before", work)
    _run(work, write=True, **{"line-length": 80})
    api = (work / "app" / "api.py").read_text()
    assert (
        "async def tokens(\n"
        "    limiter: Annotated[Limiter, Depends(get_limiter_dependency)]\n"
        ") -> int:\n"
    ) in api
    assert max(len(line) for line in api.splitlines()) <= 80
