"""One ``get_task_group`` a run (``analysis/dependency_home.py``): written in the one
module that the others needing it import already, imported by them, and served; each
module keeps its own where importing it would close an import cycle. The golden cases
(``dependency_defined_once_for_every_module``, ``endpoints_reuse_the_project_dependency``,
``endpoints_each_define_the_dependency``) run in ``tests/test_golden.py``."""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from codemods import config
from codemods.engine.parent import runner
from codemods.rules.lifespan_taskgroup.spec import SPEC
from tests.support.golden import run_table

CASE = SPEC.cases / "dependency_defined_once_for_every_module"
NEEDERS = ("admin.py", "api.py", "limits.py")


def _findings(work: Path, *, write: bool = False) -> dict[tuple[str, str], str]:
    """TG003's and TG005's findings over ``work`` at a ``def``: (file, code) to the
    message (one each in this case)."""
    table = {"select": ["TG003", "TG005", "TG007"]}
    return {
        (Path(result.path).name, finding.rule): finding.message
        for result in run_table(work, table, write=write)
        for finding in result.findings
        if "get_task_group" in finding.message
    }


def test_findings_say_which_module_defines_it(tmp_path: Path) -> None:
    work = tmp_path / "project"
    shutil.copytree(CASE / "before", work)
    found = _findings(work)
    imported = "; `get_task_group` is imported from `app.limits`, which defines it"
    assert found[("admin.py", "TG003")].endswith(imported)
    assert found[("api.py", "TG003")].endswith(imported)
    assert found[("limits.py", "TG005")].endswith(
        "; `get_task_group` is written here once, and imported by `app.admin`, "
        "`app.api`"
    )


def test_an_import_cycle_keeps_a_definition_in_each_module(tmp_path: Path) -> None:
    # The wrapper's module imports an endpoint module: importing it from there would
    # close a cycle, so nothing is shared.
    work = tmp_path / "project"
    shutil.copytree(CASE / "before", work)
    limits = work / "app" / "limits.py"
    text = limits.read_text().replace(
        "import asyncio\n", "import asyncio\n\nfrom app import admin as _admin\n"
    )
    limits.write_text(text)
    found = _findings(work, write=True)
    for name in NEEDERS:
        written = (work / "app" / name).read_text()
        assert written.count("def get_task_group(") == 1, name
        assert "import get_task_group" not in written
    assert (
        "is written here as in every module needing it (`app.api`, `app.limits`)"
        in (found[("admin.py", "TG003")])
    )


@pytest.fixture
def served(tmp_path: Path) -> Any:
    """The case's app as migrated (``before/`` overlaid by ``after/``), imported."""
    root = tmp_path / "served"
    shutil.copytree(CASE / "before", root)
    shutil.copytree(CASE / "after", root, dirs_exist_ok=True)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("app.main")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == "app" or n.startswith("app.")]:
            del sys.modules[name]


def test_every_endpoint_spawns_into_the_root_through_the_one_dependency(
    served: Any,
) -> None:
    testclient = pytest.importorskip("fastapi.testclient")
    api, admin, limits = (sys.modules[f"app.{n}"] for n in ("api", "admin", "limits"))
    assert api.get_task_group is admin.get_task_group is limits.get_task_group
    audited: list[asyncio.Task[object] | None] = []
    stop = threading.Event()

    async def audit(name: str) -> None:
        audited.append(asyncio.current_task())

    async def refill_forever(self: object) -> None:
        while not stop.is_set():
            await asyncio.sleep(0.01)

    vars(api)["audit"] = vars(admin)["audit"] = audit
    limits.Limiter.refill_forever = refill_forever
    with testclient.TestClient(served.app) as client:
        assert client.post("/spend").status_code == 200
        assert client.post("/reset").status_code == 200
        root = served.app.state.task_group
        assert isinstance(root, asyncio.TaskGroup)
        stop.set()
    assert len(audited) == 2 and all(t is not None and t.done() for t in audited)


def test_a_definition_importing_a_module_needing_it_is_not_reused(
    tmp_path: Path,
) -> None:
    reuse = SPEC.cases.parent.parent / "dangling_task" / "cases"
    work = tmp_path / "project"
    shutil.copytree(reuse / "endpoints_reuse_the_project_dependency" / "before", work)
    deps = work / "app" / "deps.py"
    deps.write_text(deps.read_text() + "\nfrom app.api import router as _router\n")
    table = {"select": ["TG003", "TG007"]}
    settings = replace(config.parse_table(table, source="test"), root=str(work))
    request = runner.Request((work,), settings, mode="run", write=True, jobs=1)
    runner.run(request)
    api = (work / "app" / "api.py").read_text()
    assert "def get_task_group(" in api and "import get_task_group" not in api
