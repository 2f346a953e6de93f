"""Interrupted runs (issue 25, item 6 of "What to build"): Ctrl-C exits 130 and
SIGTERM 143, with no temporary file left, every file old or new, and no worker left.

The signal must arrive while a file is half-written, so the run is slowed there: a
``sitecustomize`` (on ``PYTHONPATH``, so the workers load it too) makes the fsync of a
``*.codemods-tmp`` file announce itself and wait. The test signals once a temporary
file is on disk, as a terminal (the whole process group) or ``kill`` (the main
process alone) does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from codemods.engine.paths import TEMP_SUFFIX
from tests.robustness.helpers import cli_argv, cli_env
from tests.support.cli import TRACKED, write

LEGACY = TRACKED.lstrip("\n")
SLOW_FSYNC = f"""
import os, time

_fsync = os.fsync
MARKER = os.environ["SLOW_FSYNC_MARKER"]


def fsync(fd):
    try:
        name = os.readlink(f"/proc/self/fd/{{fd}}")
    except OSError:
        name = ""
    if name.endswith({TEMP_SUFFIX!r}):
        open(MARKER, "w").close()
        time.sleep(60)
    return _fsync(fd)


os.fsync = fsync
"""


def _interrupted_run(
    tmp_path: Path, signum: int, *, group: bool
) -> tuple[int, str, Path]:
    tree = tmp_path / "tree"
    write(tree, "legacy.py", LEGACY)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SLOW_FSYNC)
    marker = tmp_path / "writing"
    env = cli_env()
    env["PYTHONPATH"] = os.pathsep.join([str(hook), env.get("PYTHONPATH", "")])
    env["SLOW_FSYNC_MARKER"] = str(marker)
    process = subprocess.Popen(
        [*cli_argv(tmp_path), "run", "--write", "--no-cache", "-j", "1", "."],
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "no write began"
            time.sleep(0.05)
        assert list(tree.glob(f"*{TEMP_SUFFIX}")), "a temporary file is on disk"
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    _wait_group_gone(process.pid)
    return process.returncode, stderr, tree


def _wait_group_gone(group: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("a worker outlived the interrupted run")


@pytest.mark.parametrize(
    ("signum", "group", "code", "said"),
    [
        (signal.SIGINT, True, 130, "codemods: interrupted"),
        (signal.SIGTERM, False, 143, "codemods: terminated"),
        (signal.SIGTERM, True, 143, "codemods: terminated"),
    ],
    ids=["ctrl-c", "kill", "kill-group"],
)
def test_an_interrupted_write_exits_with_its_code_and_leaves_no_temporary_file(
    tmp_path: Path, signum: int, group: bool, code: int, said: str
) -> None:
    returncode, stderr, tree = _interrupted_run(tmp_path, signum, group=group)
    assert returncode == code, stderr
    assert stderr.strip().splitlines()[-1] == said
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tree.iterdir()) == ["legacy.py"]
    assert (tree / "legacy.py").read_text() == LEGACY
