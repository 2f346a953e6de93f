"""``run --patch``: one patch for the whole run, checked with the real ``git apply``."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from codemods.review import patch
from tests.support.cli import TRACKED, invoke, write

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed"
)

LATIN1 = """
# -*- coding: latin-1 -*-
import asyncio

from app.task_tracker import track_task

GREETING = "olá, café"


async def run(tg: asyncio.TaskGroup) -> None:
    track_task(asyncio.sleep(0))
"""

# The tracker call is on the last line, which has no newline.
NO_FINAL_NEWLINE = TRACKED.rstrip("\n").replace(
    "def schedule() -> None:\n    track_task(tick())",
    "async def again(tg: asyncio.TaskGroup) -> None:\n    track_task(tick())",
)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding files in every encoding and newline style."""
    root = tmp_path / "repo"
    write(root, "app/plain.py", TRACKED)
    write(root, "app/latin.py", LATIN1, encoding="latin-1")
    (root / "app" / "crlf.py").write_bytes(
        TRACKED.lstrip("\n").replace("\n", "\r\n").encode()
    )
    # Lines ended by a lone CR: one line to git (issue 25: the patch was rejected).
    (root / "app" / "cr.py").write_bytes(
        TRACKED.lstrip("\n").replace("\n", "\r").encode()
    )
    (root / "app" / "bom.py").write_bytes(
        b"\xef\xbb\xbf" + TRACKED.lstrip("\n").encode()
    )
    (root / "app" / "tail.py").write_bytes(NO_FINAL_NEWLINE.lstrip("\n").encode())
    write(root, "app/clean.py", "x = 1\n")
    assert _git(root, "init", "-q").returncode == 0
    monkeypatch.chdir(root)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.py"))
        if ".git" not in p.parts
    }


def test_the_patch_applies_with_git_and_equals_write(
    repo: Path, tmp_path: Path
) -> None:
    before = _snapshot(repo)
    target = tmp_path / "migration.patch"

    result = invoke("run", "--patch", target, ".")

    assert result.exit_code == 0
    assert "patch for 6 files written to" in result.stderr
    assert _snapshot(repo) == before, "--patch is a dry run"
    data = target.read_bytes()
    # The Latin-1 file's context line is in Latin-1, as on disk, not UTF-8.
    assert ' GREETING = "olá, café"\n'.encode("latin-1") in data
    assert "olá".encode() not in data
    assert b"+    tg.create_task(asyncio.sleep(0))\n" in data
    assert b'+    tg.create_task(tick(), name="tick")\r\n' in data
    assert b"\\ No newline at end of file\n" in data
    check = _git(repo, "apply", "--check", "-v", str(target))
    assert check.returncode == 0, check.stderr
    assert check.stderr.count("Checking patch app/") == 6

    assert _git(repo, "apply", str(target)).returncode == 0
    patched = _snapshot(repo)
    for name, content in before.items():
        (repo / name).write_bytes(content)
    assert invoke("run", "--write", ".").exit_code == 0
    assert _snapshot(repo) == patched, "git apply of the patch == run --write"
    assert patched["app/bom.py"].startswith(b"\xef\xbb\xbf")
    assert "olá, café".encode("latin-1") in patched["app/latin.py"]


def test_a_patch_made_in_a_subdirectory_applies_at_the_root(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sub.patch"
    monkeypatch.chdir(repo / "app")

    result = invoke("run", "--patch", target, ".")

    assert result.exit_code == 0, result.stderr
    assert b"diff --git a/app/plain.py b/app/plain.py\n" in target.read_bytes()
    applied = _git(repo, "apply", "-v", str(target))
    assert applied.returncode == 0, applied.stderr
    assert applied.stderr.count("Applied patch app/") == 6  # every changed file
    assert b"tg.create_task(tick()" in (repo / "app" / "plain.py").read_bytes()


def test_a_bom_on_a_changed_first_line_is_in_the_patch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    (root / "m.py").write_bytes(b"\xef\xbb\xbfx = 1\n")
    section = patch.section("m.py", "x = 1\n", "x = 2\n", "utf-8-sig")
    assert b"-\xef\xbb\xbfx = 1\n+\xef\xbb\xbfx = 2\n" in section
    (tmp_path / "p.patch").write_bytes(section)
    assert _git(root, "init", "-q").returncode == 0
    applied = _git(root, "apply", str(tmp_path / "p.patch"))
    assert applied.returncode == 0, applied.stderr
    assert (root / "m.py").read_bytes() == b"\xef\xbb\xbfx = 2\n"


def test_paths_git_would_quote(tmp_path: Path) -> None:
    section = patch.section('we"ird\\name.py', "x = 1\n", "x = 2\n", "utf-8")
    assert section.startswith(
        b'diff --git "a/we\\"ird\\\\name.py" "b/we\\"ird\\\\name.py"\n'
    )


def test_a_file_outside_the_working_directory_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = write(tmp_path, "outside/app.py", TRACKED)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    target = tmp_path / "p.patch"

    result = invoke("run", "--patch", target, outside)

    assert result.exit_code == 3
    assert (
        f"{outside.as_posix()}: not in the patch: outside {work}, where `git apply` "
        "takes the patch"
    ) in result.stderr
    assert "patch for 0 files written to" in result.stderr


def test_patch_and_write_are_mutually_exclusive(repo: Path, tmp_path: Path) -> None:
    before = _snapshot(repo)
    result = invoke("run", "--write", "--patch", tmp_path / "p.patch", ".")
    assert result.exit_code == 2
    assert result.stderr.startswith("codemods: error: --patch records a dry run")
    assert _snapshot(repo) == before
    assert not (tmp_path / "p.patch").exists()


def test_interactive_patch_records_what_was_applied(repo: Path, tmp_path: Path) -> None:
    from codemods import config
    from codemods.engine.parent import runner
    from codemods.engine.reporting.terminal import Terminal
    from codemods.review import steps

    summary = runner.run(
        runner.Request(
            (Path("app"),),
            config.load([Path("app")]),
            mode="run",
            want_diff=True,
            jobs=1,
        )
    )
    answers = iter(["y", "q"])  # the first hunk (of app/bom.py), then quit
    target = tmp_path / "applied.patch"
    err = io.StringIO()
    code = steps.interactive(
        summary,
        Terminal(io.StringIO(), err, color=False),
        {},
        target,
        ask=lambda prompt: next(answers),
    )

    assert code == 0
    assert f"patch for 1 file written to {target}" in err.getvalue().splitlines()
    data = target.read_bytes()
    assert data.startswith(b"diff --git a/app/bom.py b/app/bom.py\n")
    reverse = _git(repo, "apply", "-R", "--check", str(target))
    assert reverse.returncode == 0, "the patch is exactly what is now on disk"


def test_a_patch_replaces_the_old_one_whole_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "run.patch"
    target.write_bytes(b"an older patch\n")
    assert patch.save(target, [b"--- a/x.py\n", b"", b"--- a/y.py\n"]) == 2
    assert target.read_bytes() == b"--- a/x.py\n--- a/y.py\n"
    assert [p.name for p in tmp_path.iterdir()] == ["run.patch"]
    assert target.stat().st_mode & 0o644 == 0o644  # not mkstemp's private 0600
