"""Exit codes as documented for every failure (issue 25, item 6 of "What to build"):
usage and environment errors 2, unwritable outputs 3, each with one line and never a
traceback. Run as subprocesses: the streams themselves are what is broken."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path
from typing import Any

import pytest

from codemods.core.results import ExitCode
from tests.robustness.helpers import cli_argv, cli_env
from tests.support.cli import TRACKED, write

LEGACY = TRACKED.lstrip("\n")


def _run(
    tmp_path: Path, args: list[str], *, closed: str = "", **streams: Any
) -> subprocess.CompletedProcess[str]:
    """The CLI on a tree holding legacy code; ``closed`` (``>&-``, ``<&-``) closes
    one of its standard streams."""
    tree = tmp_path / "tree"
    if not tree.exists():
        write(tree, "legacy.py", LEGACY)
    streams.setdefault("stdout", subprocess.PIPE)
    shell = ["sh", "-c", f'exec "$@" {closed}', "sh"] if closed else []
    return subprocess.run(
        [*shell, *cli_argv(tmp_path), *args],
        cwd=tree,
        env=cli_env(),
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        check=False,
        **streams,
    )


def _one_line(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == expected


def test_stdout_on_a_full_device_exits_3(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = _run(tmp_path, ["check", "--no-cache", "."], stdout=full)
    assert done.returncode == ExitCode.FILE_ERRORS
    assert "Traceback" not in done.stderr
    # Said where the output failed: a write while reporting, or the final flush.
    assert done.stderr.strip().splitlines()[-1] in (
        "codemods: error: no space left on device",
        "codemods: error: stdout: no space left on device",
    )


def test_a_closed_stdout_exits_3(tmp_path: Path) -> None:
    done = _run(tmp_path, ["check", "."], closed=">&-", stdout=None)
    assert done.returncode == ExitCode.FILE_ERRORS
    _one_line(done, "codemods: error: stdout is closed")


def test_interactive_with_stdin_closed_exits_2(tmp_path: Path) -> None:
    done = _run(tmp_path, ["run", "-i", "."], closed="<&-")
    assert done.returncode == ExitCode.USAGE
    _one_line(
        done,
        "codemods: error: --interactive asks about each change, "
        "but stdin is not a terminal",
    )


def test_a_patch_over_the_file_size_limit_exits_3(tmp_path: Path) -> None:
    def limit() -> None:
        # Well under the patch (over 200 bytes: one rewritten tracker call).
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))

    done = _run(
        tmp_path,
        ["run", "--no-cache", "--patch", "changes.patch", "."],
        preexec_fn=limit,
    )
    assert done.returncode == ExitCode.FILE_ERRORS
    _one_line(done, "codemods: error: cannot write changes.patch: File too large")
    leftovers = [p.name for p in (tmp_path / "tree").iterdir()]
    assert leftovers == ["legacy.py"], "no partial patch, no temporary file"


@pytest.mark.parametrize(
    "report",
    [
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps({"version": 1, "files": [1], "summary": {}}).encode(),
        json.dumps({"version": 1, "files": [{"path": 3}], "summary": {}}).encode(),
        json.dumps({"version": 1, "files": [], "summary": []}).encode(),
        b"\xff\xfe",
    ],
    ids=["deep", "file-not-an-object", "path-not-text", "summary-a-list", "bytes"],
)
def test_a_malformed_report_to_merge_exits_2(tmp_path: Path, report: bytes) -> None:
    write(tmp_path, "tree/legacy.py", LEGACY)
    (tmp_path / "tree" / "shard.json").write_bytes(report)
    done = _run(tmp_path, ["merge-reports", "shard.json"])
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("codemods: error: ")
    assert len(done.stderr.strip().splitlines()) == 1
