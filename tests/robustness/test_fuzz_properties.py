"""Generated programs through each codemod alone and all of them together (issue 7.1).

Every example goes through each codemod of the registry alone (``transform_text``) and
all of them together, as a run writing the file does (the parent's phases and the
worker's code, in one process; the trigger prefilter off so that every file is really
parsed, a BOM on every third one); see ``properties.py``:

- nothing escapes but a parse or decode error (``SourceError``); a ``TransformError`` (a
  codemod crashed, or its output does not parse) fails the test;
- a changed text parses (LibCST, and CPython whenever the input did), keeps its BOM,
  its kinds of line ending and final newline, and every line with a bare ``# noqa``; a
  second run changes nothing; every finding points at a line of the original text;
- a text without any of the configuration's trigger words comes back byte-identical,
  and so does any text nothing changed.

Two strategies, 500 examples each by default, the same ones every run (``-m stress``:
20 times more, new ones each run): raw
hypothesmith programs (almost never a trigger word: the byte-identical property) and
legacy templates (tracker and spawn calls in random surroundings: the others). Checking
dominates the cost (a dozen LibCST passes an example), so a helper process checks each
codemod alone while this one checks them all together, at the same time: both cores of
a CI machine work, and a failure is still Hypothesis' to shrink.
"""

from __future__ import annotations

import multiprocessing
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codemods.rules import registry
from tests.robustness import programs
from tests.robustness.helpers import with_big_stack
from tests.robustness.properties import (
    SINGLE,
    check_alone_many,
    check_together,
    checkable,
)

EXAMPLES = 500
STRESS = 20
# Codemods the templates are known to exercise: each must change some template program.
EXERCISED = ("TG001", "TG003")
# The helper checks every codemod alone while this process checks all of them together:
# about half the work each, by measured cost.
HELPER = tuple(config.name for config in SINGLE)


@pytest.fixture(scope="module")
def helper() -> Iterator[ProcessPoolExecutor]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        yield pool


def _run(
    strategy: st.SearchStrategy[str],
    examples: int,
    folder: Path,
    helper: ProcessPoolExecutor,
) -> Counter[str]:
    stats: Counter[str] = Counter()
    path = folder / "example.py"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        # CI draws the same examples every run (a red run is the change's doing); the
        # stress run explores new ones each time.
        derandomize=examples <= EXAMPLES,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(strategy)
    def test(source: str) -> None:
        if not checkable(source):
            event("rejected before parsing")
            return
        seen: Counter[str] = Counter(examples=1)
        there = helper.submit(check_alone_many, source, HELPER)
        try:
            bom = zlib.crc32(source.encode()) % 3 == 0
            check_together(source, bom, path, seen)
        finally:
            seen.update(there.result())  # waited for even when a check here failed
        for name in seen:
            if name != "examples":
                event(name)
        stats.update(seen)

    with_big_stack(test)
    return stats


pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
SCALES = [
    pytest.param(1, id="ci"),
    pytest.param(STRESS, id="stress", marks=pytest.mark.stress),
]


@pytest.mark.parametrize("scale", SCALES)
def test_raw_programs(scale: int, tmp_path: Path, helper: ProcessPoolExecutor) -> None:
    stats = _run(programs.raw, EXAMPLES * scale, tmp_path, helper)
    assert stats["examples"] >= EXAMPLES * scale // 2, stats


@pytest.mark.parametrize("scale", SCALES)
def test_legacy_templates(
    scale: int, tmp_path: Path, helper: ProcessPoolExecutor
) -> None:
    stats = _run(programs.templates(), EXAMPLES * scale, tmp_path, helper)
    parsed = stats["examples"] - stats["does not parse"]
    assert parsed >= EXAMPLES * scale // 2, stats
    assert stats["changed by all"] >= parsed // 10, f"templates rarely change: {stats}"
    for code in EXERCISED:
        if registry.find(code) is not None:
            assert stats[f"changed by {code}"] > 0, f"no template exercises {code}"
