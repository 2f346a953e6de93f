"""Line diffs in near-linear time (issue 25, item 5 of "What to build"): opcodes that
rebuild the new lines from the old, the same as difflib's on ordinary input, and never
a quadratic ``SequenceMatcher`` on a repetitive file."""

from __future__ import annotations

import random
from difflib import SequenceMatcher
from typing import Any

import pytest

from codemods.core import line_diff
from codemods.core.line_diff import SMALL_GAP, line_opcodes
from codemods.core.source import LineMap, preserve


def _rebuilt(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The opcodes of a -> b, checked to cover both sides and rebuild ``b``."""
    opcodes = line_opcodes(a, b)
    i = j = 0
    for tag, i1, i2, j1, j2 in opcodes:
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        else:
            assert tag == {(True, True): "replace", (True, False): "delete"}.get(
                (i2 > i1, j2 > j1), "insert"
            )
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    return opcodes


def _edited(rnd: random.Random, a: list[str]) -> list[str]:
    b = list(a)
    for _ in range(rnd.randint(0, 5)):
        at = rnd.randint(0, len(b))
        roll = rnd.random()
        if roll < 0.3 and b:
            del b[min(at, len(b) - 1)]
        elif roll < 0.6:
            b.insert(at, rnd.choice("abcxyz"))
        elif b:
            b[min(at, len(b) - 1)] = "z"
    return b


def test_random_edits_rebuild_and_keep_every_unchanged_line() -> None:
    rnd = random.Random(25)
    for _ in range(2000):
        a = [rnd.choice("abcdefg") for _ in range(rnd.randint(0, 60))]
        b = _edited(rnd, a)
        ours = _rebuilt(a, b)
        matched = sum(i2 - i1 for tag, i1, i2, *_ in ours if tag == "equal")
        theirs = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        # As many unchanged lines kept as difflib keeps (sometimes more).
        assert matched >= sum(size for *_, size in theirs)


def test_a_repetitive_file_never_reaches_a_large_sequence_matcher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sizes: list[int] = []

    class Recording(SequenceMatcher[Any]):
        def __init__(self, junk: None, a: Any, b: Any, autojunk: bool) -> None:
            sizes.append(len(a) * len(b))
            super().__init__(junk, a, b, autojunk)

    monkeypatch.setattr(line_diff, "SequenceMatcher", Recording)
    filler = ["    x = 1\n"] * 16_000
    for a, b in [
        ([*filler, "track_task(f())\n", *filler], [*filler, "tg.f()\n", *filler]),
        (["a\n", "b\n"] * 8_000, ["a\n", "c\n"] * 8_000),
        (["a\n", "b\n"] * 8_000, ["a\n"] + ["b\n", "a\n"] * 7_000),
    ]:
        _rebuilt(a, b)
    assert all(size <= SMALL_GAP for size in sizes)


def test_line_map_of_a_repetitive_file_maps_line_for_line() -> None:
    filler = "    x = 1\n" * 16_000
    base = f"def f():\n{filler}    track_task(g())\n{filler}"
    derived = f"def f():\n{filler}    tg.create_task(g())\n{filler}"
    mapping = LineMap(base, derived)
    assert [mapping(line) for line in (1, 16_002, 32_002)] == [1, 16_002, 32_002]


def test_preserve_keeps_original_bytes_around_a_change_in_a_repetitive_file() -> None:
    # LibCST reprints the original with its own spacing of `x=1`: every line the
    # codemod did not change keeps the original's bytes.
    lines = ["x=1\n"] * 5_000
    original = "".join(lines) + "track_task(g())\n" + "".join(lines)
    roundtrip = original.replace("x=1", "x = 1")
    new = roundtrip.replace("track_task(g())", "tg.create_task(g())")
    kept = preserve(original, roundtrip, new)
    assert kept == original.replace("track_task(g())", "tg.create_task(g())")
