"""The entry that runs ``check`` without click (``codemods/entry.py``).

Its parse of a command line must give the parameters click gives, or give up (None)
and leave the line to click; and a check it runs must answer exactly as the click
command does: the same stdout, stderr and exit code, warm or cold, on several trees
and options.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from codemods import cli, entry, options
from tests.support.cli import TRACKED, write
from tests.support.golden import CASES

LEGACY_APP = Path(__file__).resolve().parents[1] / "fixtures" / "legacy_app"

# Command lines after `check`: None where the entry must leave them to click.
TAKEN = [
    [],
    ["."],
    ["a.py", "b"],
    ["-q", "--cache-dir", "cache", "-j", "2", "."],
    ["--cache-dir=cache", "-j2", "--jobs", "0", "--quiet"],
    ["--select", "TG001,TG003", "--select", "TG002", "--ignore", "TG004"],
    ["--extend-select=TG007", "--exclude", "x/*", "--include", "*.pyi", "."],
    ["--format", "json", "--exit-zero", "--no-cache"],
    ["--format=github", "--color", "never", "-"],
    ["--color=always", "--stdin-filename", "a.py", "--target-version", "3.12"],
    ["--shard", "1/2", "--index", "facts.json", "--add-noqa", "--config", "p.toml"],
    ["--select="],
    [".", "--jobs", "3", "src"],
]
LEFT_TO_CLICK = [
    ["--help"],
    ["-h"],
    ["--", "a.py"],
    ["-qj2"],
    ["-j"],
    ["-j", "-q"],
    ["-j", "two"],
    ["-j", "-1"],
    ["-j=2"],
    ["--jobs", "+2"],
    ["--format", "xml"],
    ["--format", "JSON"],
    ["--color", "sometimes"],
    ["--target-version", "three"],
    ["--quiet=yes"],
    ["--select", "--ignore", "TG001"],
    ["--sel", "TG001"],
    ["--unknown"],
    ["--cache-dir", "a-file"],
    ["--index", "a-directory"],
    [""],
    ["--config", ""],
]


def _click_parameters(arguments: list[str]) -> dict[str, Any] | None:
    """What click gives ``check`` for ``arguments`` (None: it refuses them)."""
    try:
        with cli.main.make_context("codemods", ["check", *arguments]) as group:
            context = cli.check.make_context("check", arguments, parent=group)
    except click.exceptions.Exit:
        return None  # --help
    except click.UsageError:
        return None
    return {**context.params, "color": context.meta.get("codemods.color")}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CODEMODS_NO_CACHE", raising=False)
    monkeypatch.delenv("CODEMODS_CACHE_DIR", raising=False)
    write(tmp_path, "a-file", "")
    (tmp_path / "a-directory").mkdir()
    return tmp_path


@pytest.mark.parametrize("arguments", TAKEN, ids=" ".join)
def test_the_entry_reads_a_check_as_click_does(
    in_tmp: Path, arguments: list[str]
) -> None:
    parsed = entry.parse_check(arguments, os.environ)
    assert parsed is not None
    assert parsed == _click_parameters(arguments)


@pytest.mark.parametrize("arguments", LEFT_TO_CLICK, ids=" ".join)
def test_the_entry_leaves_to_click_what_it_cannot_read_for_sure(
    in_tmp: Path, arguments: list[str]
) -> None:
    assert entry.parse_check(arguments, os.environ) is None


@pytest.mark.parametrize(
    ("variable", "value", "taken"),
    [
        ("CODEMODS_NO_CACHE", "1", True),
        ("CODEMODS_NO_CACHE", " Off ", True),
        ("CODEMODS_NO_CACHE", "", True),
        ("CODEMODS_NO_CACHE", "maybe", False),
        ("CODEMODS_CACHE_DIR", "somewhere", True),
        ("CODEMODS_CACHE_DIR", "a-file", False),
    ],
)
def test_the_entry_reads_the_environment_as_click_does(
    in_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    taken: bool,
) -> None:
    monkeypatch.setenv(variable, value)
    parsed = entry.parse_check(["."], os.environ)
    assert (parsed is not None) == taken
    if taken:
        assert parsed == _click_parameters(["."])
    # Given on the command line, the variable is not read.
    line = ["--no-cache", "--cache-dir", "c", "."]
    assert entry.parse_check(line, os.environ) == _click_parameters(line)


def test_the_table_is_what_click_declares() -> None:
    """Every option of ``check`` is in the table, with the names, arity and
    environment variable click has, and nothing else is."""
    declared = {
        param.name: param
        for param in cli.check.params
        if isinstance(param, click.Option) and param.name != "help"
    }
    table = {**options.DISCOVERY, **options.RUN, **options.CHECK}
    assert set(declared) == set(table)
    for name, (names, kind) in table.items():
        param = declared[name]
        assert tuple(param.opts) == names, name
        assert param.is_flag == (kind == options.FLAG), name
        assert param.multiple == (kind == options.TEXTS), name
        assert param.envvar == options.ENVIRONMENT.get(name), name


# Runs `codemods` with argv as given, through the entry or click's group alone.
_LAUNCH = "import sys; sys.argv[0] = 'codemods'; from codemods.{} import main; main()"


def _both(
    arguments: list[str], cwd: Path, stdin: str = ""
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEMODS_")}
    env.update(NO_COLOR="1", COLUMNS="100")
    done = []
    for module in ("entry", "cli"):
        command = [sys.executable, "-c", _LAUNCH.format(module), *arguments]
        done.append(
            subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                text=True,
                env=env,
                cwd=cwd,
                timeout=300,
            )
        )
    return done[0], done[1]


def _same(
    arguments: list[str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    fast, full = _both(arguments, cwd, stdin)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        full.returncode,
        full.stdout,
        full.stderr,
    )
    return fast


EXTRAS = [[], ["--format", "json", "-q"], ["--select", "TG001,TG002", "--exit-zero"]]


@pytest.fixture
def trees(tmp_path: Path) -> Path:
    shutil.copytree(LEGACY_APP, tmp_path / "legacy_app")
    shutil.copytree(CASES / "TG002" / "multimodule" / "before", tmp_path / "multi")
    write(tmp_path / "small", "tracked.py", TRACKED)
    write(tmp_path / "small", "clean.py", "VALUE = 1\n")
    write(tmp_path / "small", "broken.py", "import asyncio\nasyncio.create_task(\n")
    return tmp_path


def test_a_check_answers_the_same_through_the_entry_and_through_click(
    trees: Path,
) -> None:
    cache = str(trees / "cache")
    runs: list[tuple[str, list[str]]] = [("legacy_app", [])]
    runs += [(tree, extra) for tree in ("multi", "small") for extra in EXTRAS]
    codes = set()
    for tree, extra in runs:
        line = ["check", "--cache-dir", cache, *extra, tree]
        cold = _same(line, trees)  # the first fills the cache: the second is warm
        warm = _same(line, trees)
        assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
        codes.add(warm.returncode)
    assert codes == {0, 1, 3}  # clean (--exit-zero), findings, a file error
    _same(["check", "--no-cache", "-q", "--format", "github", "small"], trees)
    _same(["check", "-", "--stdin-filename", "a.py"], trees, stdin=TRACKED)
    # Refused by click whichever way in: the same message.
    assert _same(["check", "--format", "xml", "small"], trees).returncode == 2
    assert _same(["check", "missing"], trees).returncode == 2
