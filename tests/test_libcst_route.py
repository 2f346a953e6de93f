"""``python -m libcst.tool``, the route LibCST users know: only the codemods that need
nothing beyond the file are offered (adapters in ``codemods.commands``), each
described; the others refuse, before any file changes, naming ``codemods run``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codemods.rules import registry
from codemods.rules.specs import CodemodSpec
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


def test_listing_the_whole_package_shows_each_offered_codemod_once_and_no_base(
    tmp_path: Path,
) -> None:
    """Pointed at the whole package (whose every module it imports, ``__main__``
    too): the adapters, each once, described; no base class, no whole-run codemod."""
    listed = libcst_tool(tmp_path, "codemods", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == sorted(
        f"commands.taskgroup.{spec.class_name} - {spec.description}"
        for spec in registry.CODEMODS
        if spec.whole_run_reason is None
    )


def test_the_rules_are_not_libcst_commands(tmp_path: Path) -> None:
    """Their base is our own (no ``libcst.codemod`` in a check): LibCST pointed at
    them lists nothing, where the adapters of ``codemods.commands`` run them."""
    listed = libcst_tool(tmp_path, "codemods.rules", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == []


@pytest.mark.parametrize(
    "spec",
    [spec for spec in registry.CODEMODS if spec.whole_run_reason],
    ids=lambda spec: spec.code,
)
def test_a_whole_run_codemod_refuses_by_its_name_and_changes_nothing(
    tmp_path: Path, spec: CodemodSpec
) -> None:
    """Named (``taskgroup.SyncStart``), though not listed: it refuses before any
    file is read, naming ``codemods run``."""
    callee = write(tmp_path, "pkg/poller.py", CALLEE)
    caller = write(tmp_path, "pkg/main.py", CALLER + "# noqa: TG003\n")
    before = callee.read_bytes(), caller.read_bytes()
    command = f"taskgroup.{spec.class_name}"
    ran = libcst_tool(
        tmp_path, "codemods.commands", "codemod", command, "--no-format", "pkg"
    )
    assert ran.returncode == 1
    code, name = spec.code, spec.name
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


def test_an_offered_codemod_runs_in_libcsts_worker_processes(tmp_path: Path) -> None:
    """With ``--jobs 2`` LibCST pickles the command for its workers: the adapter is
    found by its name."""
    sources = [write(tmp_path, f"serve{n}.py", DANGLING) for n in (1, 2)]
    ran = libcst_tool(
        tmp_path,
        "codemods.commands",
        "codemod",
        "--jobs=2",
        "taskgroup.DanglingTask",
        "--no-format",
        ".",
    )
    assert ran.returncode == 0, ran.stderr
    for source in sources:
        assert "    tg.create_task(asyncio.sleep(1))\n" in source.read_text()
