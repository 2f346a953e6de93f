"""herald (``fixtures/realistic_app``), migrated by ``codemods run --write``, run against
its own behaviour tests (``tests/realistic_app``) and ``codemods check``.

On the fixture itself five of those tests are strict xfails (``unmigrated_fails``).
The migration makes all of them pass, and SIGINT under load and ``mypy --strict``
stay green; ``check`` then finds nothing. Every spawn lands in the root TaskGroup: the
endpoint ``send_notification`` (S7) takes it as ``Depends(get_task_group)``, which the
lifespan exposes as ``app.state.task_group``; the factory ``get_rate_limiter``, which
FastAPI takes as ``Depends(get_rate_limiter)`` (S5), gains ``tg`` and is depended on
through the wrapper ``get_rate_limiter_dependency`` that TG005 writes next to it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import REPO

HERALD = REPO / "fixtures" / "realistic_app"


def _codemods(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codemods", *args, "--no-cache", "."],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("herald") / "realistic_app"
    shutil.copytree(HERALD, root, ignore=shutil.ignore_patterns("__pycache__"))
    run = _codemods("run", "--write", cwd=root)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    return root


def test_check_finds_nothing_left(migrated: Path) -> None:
    run = _codemods("check", cwd=migrated)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.findall(r"^herald/\S+?:\d+:\d+: TG\d+ ", run.stdout, re.M) == []


def test_the_migrated_service_passes_all_its_behaviour_tests(migrated: Path) -> None:
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "tests/realistic_app", "-q",
            "-p", "no:cacheprovider", "--app-root", str(migrated),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    summary = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"9 passed, 1 skipped in .*", summary), run.stdout[-5000:]


def test_the_endpoint_spawns_into_the_root_the_lifespan_exposes(
    migrated: Path,
) -> None:
    routes = (migrated / "herald/api/routes.py").read_text()
    lifespan = (migrated / "herald/lifespan.py").read_text()
    assert "tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]" in routes
    assert "tg.create_task(services.store.touch_recipient(" in routes
    assert "app.state.task_group = tg" in lifespan
    assert "app.state.task_group = None" in lifespan


def test_the_dependency_factory_takes_the_root_through_its_wrapper(
    migrated: Path,
) -> None:
    routes = (migrated / "herald/api/routes.py").read_text()
    ratelimit = (migrated / "herald/services/ratelimit.py").read_text()
    lifespan = (migrated / "herald/lifespan.py").read_text()
    assert "Depends(get_rate_limiter_dependency)" in routes
    assert "Depends(get_rate_limiter)" not in routes
    assert "async def get_rate_limiter(*, tg: asyncio.TaskGroup | None" in ratelimit
    assert "return await get_rate_limiter(tg=tg)" in ratelimit
    assert "await get_rate_limiter(tg=tg)" in lifespan
