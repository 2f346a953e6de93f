"""Configuration and command-line parity with Ruff (issue 24 item 3), and configuration
values that cannot work refused by name (issue 25 item 6), through the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemods.cli import main
from tests.support.cli import TRACKED, invoke, write

# TG003 (dangling-task) finds this; TG001 (legacy-tracker) finds TRACKED.
DANGLING = """
import asyncio


async def main() -> None:
    asyncio.create_task(asyncio.sleep(1))
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "app/service.py", TRACKED)
    write(tmp_path, "app/dangling.py", DANGLING)
    write(tmp_path, "tests/test_service.py", TRACKED)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _configure(root: Path, table: str) -> None:
    (root / "pyproject.toml").write_text("[tool.codemods]\n" + table)


def _reported(stdout: str) -> set[tuple[str, str]]:
    """(path, code) of each finding line."""
    return {
        (line.split(":")[0], line.split(": ")[1].split()[0])
        for line in stdout.splitlines()
        if line.count(":") >= 3
    }


def test_extend_select_adds_to_select(repo: Path) -> None:
    _configure(repo, 'select = ["TG001"]\nextend-select = ["dangling-task"]\n')
    assert {code for _, code in _reported(invoke("check", ".").stdout)} == {
        "TG001",
        "TG003",
    }
    # --select replaces both, --extend-select adds, as in Ruff.
    only = invoke("check", "--select", "TG003", ".")
    assert {code for _, code in _reported(only.stdout)} == {"TG003"}
    both = invoke("check", "--select", "TG003", "--extend-select", "TG001", ".")
    assert {code for _, code in _reported(both.stdout)} == {"TG001", "TG003"}


def test_extend_exclude_and_force_exclude(repo: Path) -> None:
    _configure(repo, 'exclude = ["app/dangling.py"]\nextend-exclude = ["tests/"]\n')
    assert {path for path, _ in _reported(invoke("check", ".").stdout)} == {
        "app/service.py"
    }
    # A file named on the command line is taken anyway, unless force-exclude.
    named = invoke("check", "tests/test_service.py")
    assert named.exit_code == 1
    assert "tests/test_service.py" in named.stdout
    _configure(repo, 'extend-exclude = ["tests/"]\nforce-exclude = true\n')
    forced = invoke("check", "tests/test_service.py")
    assert forced.exit_code == 0
    assert forced.stdout == ""


def test_per_file_ignores_suppress_findings_and_fixes(repo: Path) -> None:
    _configure(
        repo, '[tool.codemods.per-file-ignores]\n"tests/*" = ["legacy-tracker"]\n'
    )
    before = (repo / "tests" / "test_service.py").read_bytes()
    reported = _reported(invoke("check", ".").stdout)
    assert ("tests/test_service.py", "TG001") not in reported
    assert ("app/service.py", "TG001") in reported
    assert invoke("run", "--write", ".").exit_code == 0
    assert (repo / "tests" / "test_service.py").read_bytes() == before
    assert b"tg.create_task" in (repo / "app" / "service.py").read_bytes()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('[tool.codemods.per-file-ignores]\n"x/*" = ["TG999"]\n', "unknown codemod"),
        ("per-file-ignores = 3\n", "'per-file-ignores' must be a table"),
        ("line-length = 0\n", "'line-length' must be a positive integer"),
        ('taskgroup-param = "a b"\n', "'taskgroup-param' must be a Python identifier"),
        (
            'taskgroup-param = "class"\n',
            "'taskgroup-param' must be a Python identifier",
        ),
        ('lifecycle-methods = ["__init__"]\n', "not dunders"),
        ('trackers = ["app.track task"]\n', "'trackers' must be (dotted) function"),
        ('force-exclude = "yes"\n', "'force-exclude' must be a boolean"),
    ],
)
def test_values_that_cannot_work_exit_2_naming_key_and_file(
    repo: Path, table: str, expected: str
) -> None:
    header = "" if table.startswith("[") else "[tool.codemods]\n"
    (repo / "pyproject.toml").write_text(header + table)
    result = invoke("check", ".")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "pyproject.toml" in result.stderr


def test_config_without_the_table_is_an_error_or_a_codemods_toml(repo: Path) -> None:
    # A pyproject.toml without [tool.codemods] given by name: never silently ignored.
    Path("pyproject.toml").write_text('[project]\nname = "x"\n')
    missing = invoke("check", "--config", "pyproject.toml", ".")
    assert missing.exit_code == 2
    assert "pyproject.toml: no [tool.codemods] table" in missing.stderr
    # Any other file holds the keys at its top level, as ruff.toml does.
    Path("bare.toml").write_text('select = ["TG003"]\n')
    bare = invoke("check", "--config", "bare.toml", ".")
    assert {code for _, code in _reported(bare.stdout)} == {"TG003"}
    Path("wrapped.toml").write_text('[tool.codemods]\nselect = ["TG003"]\n')
    wrapped = invoke("check", "--config", "wrapped.toml", ".")
    assert wrapped.exit_code == 2
    assert "drop the [tool.codemods] header" in wrapped.stderr


def test_stdin_with_stdin_filename(repo: Path) -> None:
    runner = CliRunner(env={"NO_COLOR": "1"})
    source = (repo / "app" / "service.py").read_text()
    check = runner.invoke(
        main, ["check", "-", "--stdin-filename", "app/service.py"], input=source
    )
    assert check.exit_code == 1
    assert "app/service.py:11:5: TG001 replace `track_task()`" in check.stdout
    fixed = runner.invoke(
        main,
        ["run", "--write", "-", "--stdin-filename", "app/service.py"],
        input=source,
    )
    assert fixed.exit_code == 0
    assert fixed.stdout == source.replace(
        'track_task(tick(), name="tick")', 'tg.create_task(tick(), name="tick")'
    )
    assert (repo / "app" / "service.py").read_text() == source, "stdin: no file written"
    # As in Ruff, --stdin-filename without a path reads stdin; with one, it is an error.
    implicit = runner.invoke(
        main, ["check", "--stdin-filename", "app/service.py"], input=source
    )
    assert implicit.stdout == check.stdout
    mixed = runner.invoke(main, ["check", "--stdin-filename", "a.py", "."])
    assert mixed.exit_code == 2
    assert "--stdin-filename goes with the path '-'" in mixed.stderr


def test_exit_zero_keeps_errors(repo: Path) -> None:
    assert invoke("check", ".").exit_code == 1
    assert invoke("check", "--exit-zero", ".").exit_code == 0
    write(repo, "broken.py", "from app.task_tracker import track_task\nx = (\n")
    assert invoke("check", "--exit-zero", ".").exit_code == 3


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {"NO_COLOR": "1"}, False),
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (("--color", "always"), {"NO_COLOR": "1"}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color(
    repo: Path, args: tuple[str, ...], env: dict[str, str], coloured: bool
) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NO_COLOR", "FORCE_COLOR")
    }
    result = subprocess.run(
        [sys.executable, "-m", "codemods", "check", *args, "."],
        capture_output=True,
        text=True,
        env={**environment, **env},
        check=False,
    )
    assert result.returncode == 1
    assert ("\x1b[" in result.stderr) is coloured
    # Accepted before the command name too.
    if args:
        before = subprocess.run(
            [sys.executable, "-m", "codemods", *args, "check", "."],
            capture_output=True,
            text=True,
            env={**environment, **env},
            check=False,
        )
        assert ("\x1b[" in before.stderr) is coloured


def test_fix_marker_only_on_safe_fixes(repo: Path) -> None:
    # TG001's fix is unsafe (it may change when the task is awaited); TG100's is safe.
    write(repo, "app/stale.py", "x = 1  # noqa: TG001\n")
    lines = invoke("check", ".").stdout.splitlines()
    assert (
        "app/service.py:11:5: TG001 replace `track_task()` with `tg.create_task()`"
        in lines
    )
    assert any(
        line.startswith("app/stale.py:1:") and " TG100 [*] " in line for line in lines
    )


def test_the_readme_configuration_table_is_generated_from_the_code() -> None:
    from codemods import config, config_docs

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert config_docs.replaced(readme) == readme, (
        "the README's configuration table is stale: "
        "run `python -m codemods.config_docs README.md`"
    )
    # Every key the configuration reads is in it, described.
    listed = [key for key, _, meaning in config_docs.rows() if meaning]
    assert set(config.all_keys()) <= set(listed)
    for key in ("cache-dir", "TG003.task-names", "validate.test-timeout"):
        assert f"| `{key}` |" in readme
