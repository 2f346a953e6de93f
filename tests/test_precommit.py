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

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import write
from tests.support.project import copy_sources, git_repository, offline

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
