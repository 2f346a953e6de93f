"""Workers do not outlive a run whose main process alone is killed (issue 7.3).

SIGKILL of the ``codemods`` process only (not its process group) leaves its workers,
the forkserver (kept alive by the workers' copy of its liveness pipe) and the resource
tracker behind; the workers must exit at once instead of finishing their chunk and
writing files for a run nobody is waiting for, and the others then follow. Linux only
(``pidfd_open``): elsewhere a worker stops at its next chunk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.robustness.helpers import cli_argv, cli_env

pytestmark = pytest.mark.skipif(
    not hasattr(os, "pidfd_open"), reason="os.pidfd_open is Linux-only"
)

# Slow to migrate (seconds of CPU each): a worker is busy when the run is killed.
FUNCTION = """
async def spawn_{n}(items: list[int]) -> None:
    for item in items:
        asyncio.create_task(asyncio.sleep(item))
"""


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found |= {int(child) for child in task.read_text().split()}
        except OSError:
            continue
    return found


def _descendants(pid: int) -> set[int]:
    found, pending = set(), [pid]
    while pending:
        for child in _children(pending.pop()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killing_the_main_process_kills_its_workers(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    body = "".join(FUNCTION.format(n=n) for n in range(1500))
    for name in ("a", "b", "c", "d"):
        (tree / f"{name}.py").write_text(f"import asyncio\n{body}")
    process = subprocess.Popen(
        [
            *cli_argv(tmp_path / "scratch"),
            "run",
            "--write",
            "-j",
            "2",
            "--no-cache",
            ".",
        ],
        cwd=tree,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        # The resource tracker, the forkserver and both workers.
        while len(workers) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _descendants(process.pid)
        assert len(workers) >= 4, "the workers never started"
        time.sleep(0.5)  # into their first file
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = sorted(pid for pid in workers if _alive(pid))
        assert left == [], f"workers outlived the run: {left}"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
