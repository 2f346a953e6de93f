"""The pre-commit hook of ``.pre-commit-hooks.yaml``, installed by pre-commit itself.

A scratch repository's ``.pre-commit-config.yaml`` names a copy of this working tree
(made a git repository of its own) as its hook repository, as the README shows;
``pre-commit run`` installs the hook from it and runs it: failing while a file still
has a legacy pattern, passing once it is migrated.

Offline and quick: the hook's virtualenv also sees the packages installed here
(``offline``), so pip finds the dependencies installed and, with no index and no build
isolation, builds and installs only the hook's own package from the copy, as
pre-commit does for a user.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import write
from tests.support.project import (
    REPO,
    copy_sources,
    git_repository,
    offline,
    opt_in,
)

CONFIG = """
repos:
  - repo: {}
    rev: {}
    hooks:
      - id: codemods-check
"""
HOOK_LINE = r"^codemods check \(asyncio TaskGroup migration\)\.+{}$"

LEGACY = """
import asyncio

from app.task_tracker import track_task


async def tick() -> None:
    await asyncio.sleep(0)


async def run(tg: asyncio.TaskGroup) -> None:
    track_task(tick(), name="tick")
"""

MIGRATED = """
import asyncio


async def tick() -> None:
    await asyncio.sleep(0)


async def run(tg: asyncio.TaskGroup) -> None:
    tg.create_task(tick(), name="tick")
"""


@pytest.mark.timeout(600)
def test_the_hook_fails_on_a_legacy_file_and_passes_on_a_migrated_one(
    tmp_path: Path,
) -> None:
    hooks = git_repository(copy_sources(tmp_path / "taskgroup-codemods"))
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hooks, capture_output=True, text=True
    ).stdout.strip()
    work = tmp_path / "work"
    write(work, "app/service.py", LEGACY)
    write(work, ".pre-commit-config.yaml", CONFIG.format(hooks, revision))
    git_repository(work)
    home = tmp_path / "pre-commit"
    environment = offline(home)

    def pre_commit_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable, "-m", "pre_commit", "run", "--all-files",
                "--color", "never",
            ],
            cwd=work,
            env=environment,
            capture_output=True,
            text=True,
            timeout=500,
        )  # fmt: skip

    legacy = pre_commit_run()
    assert legacy.returncode == 1, legacy.stdout + legacy.stderr
    assert re.search(HOOK_LINE.format("Failed"), legacy.stdout, re.MULTILINE)
    assert "app/service.py: would be changed by TG001" in legacy.stdout.splitlines()
    # It ran the package pre-commit installed from the hook repository, in its own
    # environment, not the one running these tests.
    (environment_dir,) = home.glob("repo*/py_env-*")
    assert (environment_dir / "bin" / "codemods").is_file()
    assert list(environment_dir.glob("lib/python*/site-packages/codemods/cli.py"))

    write(work, "app/service.py", MIGRATED)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    migrated = pre_commit_run()
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert re.search(HOOK_LINE.format("Passed"), migrated.stdout, re.MULTILINE)


def readme_hook_config() -> str:
    """The README's pre-commit configuration, as a user would copy it."""
    readme = (REPO / "README.md").read_text()
    blocks: list[str] = re.findall(
        r"^```yaml\n(.*?)^```$", readme, re.DOTALL | re.MULTILINE
    )
    (local,) = [block for block in blocks if "repo: local" in block]
    return local


def test_the_readme_snippet_works_as_written(tmp_path: Path) -> None:
    """The local form, with the `codemods` of the environment pre-commit runs in."""
    work = tmp_path / "work"
    write(work, "app/service.py", LEGACY)
    (work / ".pre-commit-config.yaml").write_text(readme_hook_config())
    git_repository(work)
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        # Where `pip install` put the codemods script of this environment.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }

    def pre_commit_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "run",
                "--all-files",
                "--color",
                "never",
            ],
            cwd=work,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    legacy = pre_commit_run()
    assert legacy.returncode == 1, legacy.stdout + legacy.stderr
    assert re.search(r"^codemods check\.+Failed$", legacy.stdout, re.MULTILINE)
    assert "app/service.py: would be changed by TG001" in legacy.stdout.splitlines()
    write(work, "app/service.py", MIGRATED)
    migrated = pre_commit_run()
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert re.search(r"^codemods check\.+Passed$", migrated.stdout, re.MULTILINE)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_try_repo_against_a_checkout_runs_the_hook(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`pre-commit try-repo PATH codemods-check`, as the README suggests: no
    configuration, the hook installed from the checkout (its working tree as it is).
    Slow (an install, as the test above makes): opt-in."""
    opt_in(request)
    hooks = git_repository(copy_sources(tmp_path / "taskgroup-codemods"))
    work = tmp_path / "work"
    write(work, "app/service.py", LEGACY)
    git_repository(work)
    tried = subprocess.run(
        [
            sys.executable, "-m", "pre_commit", "try-repo", hooks, "codemods-check",
            "--all-files", "--color", "never",
        ],
        cwd=work,
        env=offline(tmp_path / "pre-commit"),
        capture_output=True,
        text=True,
        timeout=500,
    )  # fmt: skip
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert re.search(HOOK_LINE.format("Failed"), tried.stdout, re.MULTILINE)
    assert "app/service.py: would be changed by TG001" in tried.stdout.splitlines()
