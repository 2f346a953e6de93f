"""Bad input (issue 7.4): each case is reported naming the file and the reason, and the
run goes on with the other files.

One ``codemods run --write`` (a subprocess, as a user runs it) over a tree holding every
bad file at once next to good ones; then the cases a single run cannot hold (a file
unreadable to the user, one deleted mid-run) and the usage errors, which stop the run
before it starts (exit 2). Each bad file spells a trigger word: a file without one is
clean by design, never decoded or parsed (``docs/design.md``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from codemods.core.results import ExitCode
from codemods.core.settings import Settings
from codemods.engine.discovery import Discovered, discover
from codemods.engine.parent import runner
from tests.robustness.helpers import run_cli, snapshot
from tests.support.cli import TRACKED, invoke, write

LEGACY = TRACKED.lstrip("\n")
MIGRATED_LINE = 'tg.create_task(tick(), name="tick")'
HEADER = b"from app.task_tracker import track_task\n"
BIG = 20 * 1024 * 1024


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write(root, "good.py", LEGACY)
    write(root, "syntax.py", "from app.task_tracker import track_task\nx = (\n")
    (root / "nul.py").write_bytes(HEADER + b"x = 1\x00\x00\n")
    (root / "binary.py").write_bytes(bytes(range(256)) * 4 + b"track_task")
    (root / "undecodable.py").write_bytes(HEADER + b"x = '\xff\xfe'\n")
    (root / "big.py").write_bytes(HEADER + b"x = 1\n" * (BIG // 6))
    (root / "empty.py").write_bytes(b"")
    write(root, "package.py/inner.py", LEGACY)  # a directory named like a module
    (root / "loop_a.py").symlink_to("loop_b.py")
    (root / "loop_b.py").symlink_to("loop_a.py")
    write(tmp_path, "outside/secret.py", LEGACY)
    (root / "outside_link.py").symlink_to(tmp_path / "outside" / "secret.py")
    (root / "outside_dir").symlink_to(tmp_path / "outside", target_is_directory=True)
    write(root, "readonly.py", LEGACY).chmod(0o444)
    return root


def test_every_bad_file_is_reported_and_the_rest_is_migrated(
    bad_tree: Path, tmp_path: Path
) -> None:
    before = snapshot(bad_tree)
    outside = (tmp_path / "outside" / "secret.py").read_bytes()

    result = run_cli(tmp_path, ["run", "--write", "."], cwd=bad_tree)

    assert result.returncode == ExitCode.FILE_ERRORS, result.stderr
    errors = sorted(line for line in result.stderr.splitlines() if " error: " in line)
    assert errors == [
        "big.py:1:1: parse error: too large to parse (20.0 MB, the limit is 2 MB)",
        "binary.py:1:1: decode error: binary content: NUL byte",
        "nul.py:2:6: decode error: binary content: NUL byte",
        "readonly.py:1:1: write error: file is read-only; not written",
        "syntax.py:2:5: parse error: '(' was never closed",
        "undecodable.py:2:6: decode error: cannot decode as utf-8: invalid start byte",
    ]
    skipped = sorted(
        line for line in result.stderr.splitlines() if ": skipped: " in line
    )
    assert skipped == [
        "loop_a.py: skipped: symlink loop, not followed",
        "loop_b.py: skipped: symlink loop, not followed",
        "outside_dir: skipped: symlink pointing outside the root, not followed",
        "outside_link.py: skipped: symlink pointing outside the root, not followed",
    ]
    assert "9 files scanned, 2 changed (2 written)" in result.stderr
    assert "6 errors" in result.stderr

    after = snapshot(bad_tree)
    migrated = {"good.py", "package.py/inner.py"}
    for name in migrated:
        assert MIGRATED_LINE in after[name].decode(), f"{name}: the run did not go on"
    assert {k: v for k, v in after.items() if k not in migrated} == {
        k: v for k, v in before.items() if k not in migrated
    }, "a bad file was changed"
    assert (tmp_path / "outside" / "secret.py").read_bytes() == outside


def _without_root_privileges() -> list[str]:
    """A command prefix that makes file permissions apply to the process, or skip."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions do not apply")
    dropped = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", dropped, "--inh-caps", dropped]


def test_an_unreadable_file_is_reported_and_the_rest_is_migrated(
    tmp_path: Path,
) -> None:
    root = tmp_path / "tree"
    good = write(root, "good.py", LEGACY)
    locked = write(root, "locked.py", LEGACY)
    locked.chmod(0)
    try:
        result = run_cli(
            tmp_path,
            ["run", "--write", "--no-cache", "."],
            cwd=root,
            prefix=_without_root_privileges(),
        )
    finally:
        locked.chmod(0o644)
    assert result.returncode == ExitCode.FILE_ERRORS, result.stderr
    assert "locked.py:1:1: read error: permission denied" in result.stderr.splitlines()
    assert MIGRATED_LINE in good.read_text()
    assert locked.read_text() == LEGACY


def test_a_file_deleted_during_the_run_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a_first.py", LEGACY)
    gone = write(tmp_path, "gone.py", LEGACY)
    last = write(tmp_path, "z_last.py", LEGACY)

    def discover_then_delete(paths: Sequence[Path], settings: Settings) -> Discovered:
        found = discover(paths, settings)
        gone.unlink()  # after discovery, before any file is read
        return found

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    request = runner.Request(
        (tmp_path,), Settings(root=str(tmp_path)), mode="run", write=True, jobs=1
    )
    summary = runner.run(request)

    errors = {
        Path(r.path).name: (r.error.kind, r.error.message)
        for r in summary.results
        if r.error is not None
    }
    assert errors == {"gone.py": ("read", "no such file or directory")}
    assert [Path(r.path).name for r in summary.results if r.written] == [
        "a_first.py",
        "z_last.py",
    ]
    assert MIGRATED_LINE in last.read_text()
    assert summary.return_code == ExitCode.FILE_ERRORS


def test_usage_errors_name_the_path_or_key_and_exit_2(tmp_path: Path) -> None:
    legacy = write(tmp_path, "a.py", LEGACY)
    missing = tmp_path / "no" / "such.py"
    result = invoke("run", "--write", legacy, missing)
    assert result.exit_code == ExitCode.USAGE
    assert f"{missing}: no such file or directory" in result.stderr
    assert legacy.read_text() == LEGACY, "nothing runs after a usage error"

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.codemods]\nselect = ["TG001"]\nbogus = 1\n')
    result = invoke("run", "--write", tmp_path)
    assert result.exit_code == ExitCode.USAGE
    assert "pyproject.toml" in result.stderr and "unknown key 'bogus'" in result.stderr

    pyproject.write_text("[tool.codemods\n")
    result = invoke("run", "--write", tmp_path)
    assert result.exit_code == ExitCode.USAGE
    assert "pyproject.toml" in result.stderr and "not valid TOML" in result.stderr
    assert legacy.read_text() == LEGACY
