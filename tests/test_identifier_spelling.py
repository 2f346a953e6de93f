"""Identifiers as CPython reads them (issue 25, item 5 of "What to build"): NFKC-
normalised, so ``asyncio.\\uff43reate_task`` (a full-width c), which CPython runs as
``create_task``, passes the prefilters and is matched by the codemods; lines no codemod
changes keep their spelling."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from codemods.engine.files import spells_any, spells_identifier
from tests.support.cli import invoke

FULL_WIDTH = "import asyncio\n\nasyncio.\uff43reate_task(work())\n"


def test_cpython_reads_the_full_width_spelling_as_the_trigger_word() -> None:
    call = ast.parse(FULL_WIDTH).body[1]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
    assert isinstance(call.value.func, ast.Attribute)
    assert call.value.func.attr == "create_task"


@pytest.mark.parametrize("prefilter", [spells_any, spells_identifier])
def test_the_prefilters_compare_after_nfkc(prefilter: object) -> None:
    wanted = prefilter([b"create_task"])  # type: ignore[operator]
    assert wanted(FULL_WIDTH.encode())
    assert wanted(FULL_WIDTH.replace("\uff43", "c").encode())
    assert not wanted("x = 'caf\u00e9'\n".encode())
    assert not wanted(b"x = 1\n")


def test_a_full_width_spawn_is_migrated_and_other_spellings_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "import asyncio\n\n\nasync def work() -> None:\n    \uff58 = 1\n"
        "    print(\uff58)\n\n\nasync def main() -> None:\n"
        "    asyncio.\uff43reate_task(work())\n    \uff59 = 2\n"
    )
    (tmp_path / "m.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "--no-cache", "--write", ".")
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "m.py").read_text()
    assert "    task = asyncio.create_task(work())\n" in written
    assert "\uff43reate_task" not in written
    # Lines no codemod changed keep the bytes they had.
    assert "    \uff58 = 1\n    print(\uff58)\n" in written
    assert written.endswith("    \uff59 = 2\n")
    compile(written, "m.py", "exec")
