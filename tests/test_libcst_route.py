"""``python -m libcst.tool``, the route LibCST users know: only the codemods that need
nothing beyond the file are offered, each described; the others refuse, before any
file changes, naming ``codemods run``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codemods.rules import registry
from tests.support.cli import write

CALLEE = """
import asyncio


class Poller:
    def start(self) -> None:
        self.task = asyncio.create_task(asyncio.sleep(1))
"""
CALLER = """
from pkg.poller import Poller


async def main() -> None:
    Poller().start()
"""
DANGLING = """
import asyncio


async def serve(tg: asyncio.TaskGroup) -> None:
    asyncio.create_task(asyncio.sleep(1))
"""


def libcst_tool(
    root: Path, modules: str, *args: str
) -> subprocess.CompletedProcess[str]:
    (root / ".libcst.codemod.yaml").write_text(f"modules: [{modules!r}]\n")
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_list_offers_the_single_file_codemods_with_their_descriptions(
    tmp_path: Path,
) -> None:
    listed = libcst_tool(tmp_path, "codemods.commands", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == sorted(
        f"taskgroup.{spec.class_name} - {spec.description}"
        for spec in registry.CODEMODS
        if spec.code in ("TG001", "TG003", "TG004")
    )


@pytest.mark.parametrize("package", ["codemods.rules", "codemods"])
def test_listing_the_rules_shows_no_undescribed_base_and_marks_whole_run_codemods(
    tmp_path: Path, package: str
) -> None:
    """Pointed at the rules, or the whole package (whose every module it imports,
    ``__main__`` too): each codemod once, described, with no base class."""
    listed = libcst_tool(tmp_path, package, "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == len(registry.CODEMODS)
    assert not [line for line in lines if "No description" in line]
    whole_run = [line for line in lines if line.endswith("use `codemods run`)")]
    assert [line.split(" - ")[0].split(".")[-3] for line in whole_run] == [
        "lifespan_taskgroup",
        "root_taskgroup",
        "sync_start",
        "unawaited_coroutine",
        "unused_noqa",
    ]


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("codemods.rules.sync_start.codemod.SyncStart", "TG002"),
        ("codemods.rules.lifespan_taskgroup.codemod.LifespanTaskgroup", "TG005"),
        ("codemods.rules.root_taskgroup.codemod.RootTaskgroup", "TG007"),
        (
            "codemods.rules.unawaited_coroutine.codemod.UnawaitedCoroutine",
            "TG006",
        ),
        ("codemods.rules.unused_noqa.codemod.UnusedNoqa", "TG100"),
    ],
)
def test_a_whole_run_codemod_refuses_and_changes_nothing(
    tmp_path: Path, command: str, code: str
) -> None:
    callee = write(tmp_path, "pkg/poller.py", CALLEE)
    caller = write(tmp_path, "pkg/main.py", CALLER + "# noqa: TG003\n")
    before = callee.read_bytes(), caller.read_bytes()
    ran = libcst_tool(
        tmp_path, "codemods.commands", "codemod", "-x", command, "--no-format", "pkg"
    )
    assert ran.returncode == 1
    name = {spec.code: spec.name for spec in registry.CODEMODS}[code]
    # LibCST's progress line clears itself first (an escape sequence).
    refusal = ran.stderr.splitlines()[-1].rpartition("\x1b[2K")[2]
    assert refusal.startswith(
        f"codemods: {code} {name} cannot run under `python -m libcst.tool codemod`: "
    )
    assert refusal.endswith(
        f"Run it with `codemods run --select {code} PATH` (a diff), then add --write."
    )
    assert (callee.read_bytes(), caller.read_bytes()) == before


def test_an_offered_codemod_runs_by_its_listed_name(tmp_path: Path) -> None:
    source = write(tmp_path, "serve.py", DANGLING)
    ran = libcst_tool(
        tmp_path,
        "codemods.commands",
        "codemod",
        "taskgroup.DanglingTask",
        "--no-format",
        "serve.py",
    )
    assert ran.returncode == 0, ran.stderr
    assert "    tg.create_task(asyncio.sleep(1))\n" in source.read_text()
