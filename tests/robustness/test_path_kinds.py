"""Every path kind answered (issue 25, item 4 of "What to build").

FIFOs, sockets and devices are noted and never opened (a FIFO would block the run
forever); a symbolic link named on the command line is followed, one met during the
walk is not; a path that leads nowhere or in a loop is a usage error on one line; a
file the tool makes never replaces a Python source, the tree's own files or a
directory. The FIFO cases run as subprocesses with a timeout: the bug was a hang.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from codemods.core.results import ExitCode
from tests.robustness.helpers import run_cli
from tests.support.cli import TRACKED, invoke, write

LEGACY = TRACKED.lstrip("\n")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write(root, "src/legacy.py", LEGACY)
    return root


def test_a_fifo_in_the_tree_is_noted_never_opened(tree: Path, tmp_path: Path) -> None:
    os.mkfifo(tree / "src" / "fifo.py")
    done = run_cli(tmp_path, ["check", "--no-cache", "."], cwd=tree, timeout=120)
    assert done.returncode == ExitCode.INCOMPLETE, done.stderr
    assert "src/fifo.py: skipped: a FIFO, not a regular file: not read" in done.stderr
    assert "1 file scanned" in done.stderr


def test_a_fifo_named_on_the_command_line_is_noted(tree: Path, tmp_path: Path) -> None:
    os.mkfifo(tree / "fifo.py")
    done = run_cli(tmp_path, ["check", "--no-cache", "fifo.py"], cwd=tree, timeout=120)
    assert done.returncode == ExitCode.OK, done.stderr
    assert "fifo.py: skipped: a FIFO, not a regular file: not read" in done.stderr


def test_a_socket_is_noted(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("src/sock.py")
        result = invoke("check", "--no-cache", ".")
    assert "src/sock.py: skipped: a socket, not a regular file: not read" in (
        result.stderr
    )
    assert result.exit_code == ExitCode.INCOMPLETE


def test_a_device_named_on_the_command_line_is_noted(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    result = invoke("check", "--no-cache", "/dev/null")
    assert "/dev/null: skipped: a character device, not a regular file" in (
        result.stderr
    )
    assert result.exit_code == ExitCode.OK


def test_a_symlinked_directory_named_on_the_command_line_is_followed(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "link").symlink_to("src", target_is_directory=True)
    monkeypatch.chdir(tree)
    result = invoke("check", "--no-cache", "link")
    assert result.exit_code == ExitCode.INCOMPLETE
    assert "link/legacy.py: would be changed by TG001" in result.stdout
    assert "1 file scanned" in result.stderr


def test_a_symlinked_directory_met_during_the_walk_is_not_followed(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "outside/other.py", LEGACY)
    (tree / "src" / "elsewhere").symlink_to(
        tmp_path / "outside", target_is_directory=True
    )
    monkeypatch.chdir(tree)
    result = invoke("check", "--no-cache", ".")
    assert "other.py" not in result.stdout
    assert "1 file scanned" in result.stderr
    assert "src/elsewhere: skipped: symlink pointing outside the root" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.symlink_to("nowhere"),
            "dangling symbolic link (its target does not exist)",
        ),
        (lambda p: p.symlink_to(p.name), "symbolic link loop"),
        (lambda p: None, "no such file or directory"),
    ],
    ids=["dangling", "loop", "missing"],
)
@pytest.mark.parametrize("command", ["check", "run", "index"])
def test_a_path_that_leads_nowhere_exits_2_with_one_line(
    tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: object,
    message: str,
    command: str,
) -> None:
    target = tree / "bad"
    make(target)  # type: ignore[operator]
    monkeypatch.chdir(tree)
    extra = ["--out", "index.bin"] if command == "index" else ["--no-cache"]
    result = invoke(command, *extra, "bad")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"codemods: error: bad: {message}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("argv", "target", "problem"),
    [
        (["run", "--patch", "src/legacy.py", "."], "src/legacy.py", "a Python source"),
        (["run", "--patch", "stub.pyi", "."], "stub.pyi", "a Python source"),
        (["run", "--patch", "src", "."], "src", "a directory"),
        (
            ["run", "--patch", "pyproject.toml", "."],
            "pyproject.toml",
            "one of the tree's own files",
        ),
        (
            ["run", "--patch", ".gitignore", "."],
            ".gitignore",
            "one of the tree's own files",
        ),
        (["index", "--out", "src/legacy.py", "."], "src/legacy.py", "a Python source"),
        (["index", "--out", "src", "."], "src", "a directory"),
        (
            ["index", "--out", "setup.cfg", "."],
            "setup.cfg",
            "one of the tree's own files",
        ),
    ],
)
def test_an_output_never_replaces_a_source_the_trees_files_or_a_directory(
    tree: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    target: str,
    problem: str,
) -> None:
    for name in ("pyproject.toml", ".gitignore", "setup.cfg", "stub.pyi"):
        (tree / name).write_text("# the tree's own\n")
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    monkeypatch.chdir(tree)
    result = invoke(*argv)
    assert result.exit_code == ExitCode.USAGE
    if problem == "a directory":  # click refuses it already, as usage
        assert f"'{target}' is a directory" in result.stderr
    else:
        assert result.stderr == (
            f"codemods: error: {argv[1]} {target}: is {problem}; not overwritten\n"
        )
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before


def test_an_output_through_a_link_to_a_source_is_refused(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / "changes.patch").symlink_to("src/legacy.py")
    monkeypatch.chdir(tree)
    result = invoke("run", "--patch", "changes.patch", ".")
    assert result.exit_code == ExitCode.USAGE
    assert (tree / "src" / "legacy.py").read_text() == LEGACY


def test_merge_reports_refuses_to_write_its_patch_over_a_source(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    report = tree / "shard.json"
    report.write_text(invoke("check", "--no-cache", "--format", "json", ".").stdout)
    result = invoke("merge-reports", str(report), "--patch", "src/legacy.py")
    assert result.exit_code == ExitCode.USAGE
    assert "--patch src/legacy.py: is a Python source" in result.stderr
    assert (tree / "src" / "legacy.py").read_text() == LEGACY


def test_an_ordinary_patch_file_is_written(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    result = invoke("run", "--no-cache", "--patch", "changes.patch", ".")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "+++ b/src/legacy.py" in (tree / "changes.patch").read_text()
