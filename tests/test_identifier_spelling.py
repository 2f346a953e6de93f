"""Trigger words as CPython reads identifiers (issue 25, item 5 of "What to build"):
NFKC-normalised, so ``asyncio.\\uff43reate_task`` (a full-width c), which CPython runs as
``create_task``, passes the byte prefilters. (The codemods' own matching still compares
LibCST's spelling: see docs/robustness.md, section 8.)"""

from __future__ import annotations

import ast

import pytest

from codemods.engine.files import spells_any, spells_identifier

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
