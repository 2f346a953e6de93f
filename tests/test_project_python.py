"""Every file the tool writes compiles for the project's Python, and the TaskGroup
codemods refuse a project that supports Pythons without ``asyncio.TaskGroup``.

The shapes are minimal reproductions of what real projects declare: a distribution
``requires-python`` below 3.11 (issue 20, item 5), and a generator-based coroutine whose
conversion would not compile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.engine.worker import stages
from codemods.engine.worker.stages import CompileError, check_compiles
from tests.support.cli import TRACKED, invoke, write
from tests.support.golden import run

CLIENT = """
import asyncio


async def job() -> None:
    await asyncio.sleep(0)


class Client:
    async def connect(self) -> None:
        asyncio.create_task(job())
"""

OLD_LIBRARY = '[project]\nname = "oldlib"\nversion = "1.0"\nrequires-python = ">=3.9"\n'


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(OLD_LIBRARY)
    write(tmp_path, "oldlib/client.py", CLIENT)
    return tmp_path


def test_a_project_below_311_is_refused_naming_the_setting(old_library: Path) -> None:
    client = old_library / "oldlib" / "client.py"
    before = client.read_bytes()
    for command in (("check",), ("run",), ("run", "--write")):
        result = invoke(*command, old_library)
        assert result.exit_code == 2, command
        assert result.stdout == ""
        assert result.stderr.startswith("codemods: error: TG001 (legacy-tracker), ")
        assert (
            "write code that needs Python 3.11 (asyncio.TaskGroup, asyncio.timeout)"
            in result.stderr
        )
        assert "supports Python 3.9" in result.stderr
        assert "requires-python = '>=3.9'" in result.stderr
        assert "--target-version 3.11" in result.stderr
    assert client.read_bytes() == before


def test_validate_refuses_it_too(old_library: Path) -> None:
    result = invoke("validate", old_library)
    assert result.exit_code == 2
    assert "write code that needs Python 3.11" in result.stderr


def test_the_target_can_be_overridden(old_library: Path) -> None:
    overridden = invoke("check", "--target-version", "3.11", old_library)
    assert overridden.exit_code == 1
    assert "client.py:10:9: TG003 keep a strong reference" in overridden.stdout
    with (old_library / "pyproject.toml").open("a") as handle:
        handle.write('[tool.codemods]\ntarget-version = "3.11"\n')
    configured = invoke("check", old_library)
    assert configured.exit_code == 1
    assert configured.stdout == overridden.stdout


def test_codemods_writing_nothing_new_still_run_below_311(old_library: Path) -> None:
    result = invoke("check", "--select", "TG100", old_library)
    assert result.exit_code == 0
    assert "1 file scanned, 0 would change, 0 findings, 0 errors" in result.stderr


def test_a_malformed_target_version_option_exits_2(old_library: Path) -> None:
    result = invoke("check", "--target-version", "3.x", old_library)
    assert result.exit_code == 2
    assert "'3.x' is not a Python version such as 3.11" in result.stderr


GENERATOR_COROUTINE = """
import asyncio


class Broker:
    @asyncio.coroutine
    def start(self):
        yield from asyncio.sleep(0)
        self._task = asyncio.ensure_future(self._loop())

    async def _loop(self):
        await asyncio.sleep(1)


@asyncio.coroutine
def run_broker():
    broker = Broker()
    yield from broker.start()
"""


def test_a_generator_coroutine_is_never_written_broken(tmp_path: Path) -> None:
    app = write(tmp_path, "app.py", GENERATOR_COROUTINE)
    written = invoke("run", "--write", tmp_path)
    compile(app.read_text(), str(app), "exec")  # whatever was written compiles
    assert written.exit_code in (0, 3)
    check = invoke("check", tmp_path)
    assert check.exit_code != 0, "check never passes this file as migrated"


ASYNC_YIELD_FROM = "async def start():\n    yield from other()\n"


def test_a_rewrite_that_would_not_compile_is_an_error_for_the_file() -> None:
    before = "def start():\n    yield from other()\n"
    with pytest.raises(CompileError) as refused:
        check_compiles(before, ASYNC_YIELD_FROM, ("TG002",), (3, 11))
    error = refused.value
    assert error.kind == "compile"
    assert (error.line, error.col) == (2, 5)
    assert error.message == (
        "the text TG002 rewrote would not compile on Python 3.11 ('yield from' inside"
        " async function); file left unchanged"
    )


def test_syntax_newer_than_the_target_is_refused() -> None:
    before = "def f(x):\n    return x\n"
    after = "def f(x):\n    match x:\n        case _:\n            return x\n"
    check_compiles(before, after, ("TG003",), (3, 10))
    with pytest.raises(CompileError, match=r"would not compile on Python 3\.9"):
        check_compiles(before, after, ("TG003",), (3, 9))


def test_a_file_that_did_not_compile_before_is_not_blamed_on_the_rewrite() -> None:
    check_compiles(ASYNC_YIELD_FROM, ASYNC_YIELD_FROM + "x = 1\n", ("TG002",), None)
    match_before = "match x:\n    case _:\n        pass\n"
    # Newer than its declared Python already: only what runs today is asked.
    check_compiles(match_before, match_before + "y = 1\n", ("TG003",), (3, 8))
    with pytest.raises(CompileError, match=r"would not compile \("):
        check_compiles(match_before, match_before + ASYNC_YIELD_FROM, ("X",), (3, 8))


def test_the_worker_checks_the_text_it_would_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever makes a file's new text, it passes the compile check first."""

    def broken(before: str, original: str, new: str) -> str:
        return new + ASYNC_YIELD_FROM

    monkeypatch.setattr(stages, "preserve", broken)
    with pytest.raises(CompileError, match="'yield from' inside async function"):
        run("TG001", TRACKED)
