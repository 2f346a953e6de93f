"""Hunks parsed from the engine's diffs, and applied a chosen subset at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codemods.core.diffs import unified_diff
from codemods.review.hunks import DiffError, Mismatch, apply, parse

OLD = "".join(f"line {n}\n" for n in range(1, 21))
# Two changes far enough apart (more than 2 x 3 context lines) to make two hunks.
NEW = OLD.replace("line 3\n", "line three\n").replace(
    "line 17\n", "line 17a\nline 17b\n"
)


def test_two_hunks_with_their_ranges() -> None:
    diff = parse(unified_diff(OLD, NEW, "m.py"))
    assert (diff.old_path, diff.new_path) == ("a/m.py", "b/m.py")
    first, second = diff.hunks
    assert (first.old_start, first.old_count, first.new_start, first.new_count) == (
        1,
        6,
        1,
        6,
    )
    assert first.changed_span() == (3, 3)
    assert second.changed_span() == (17, 17)
    assert second.new_count == second.old_count + 1


@pytest.mark.parametrize(
    ("accepted", "expected"),
    [
        pytest.param(set(), OLD, id="none"),
        pytest.param({0, 1}, NEW, id="all"),
        pytest.param({0}, OLD.replace("line 3\n", "line three\n"), id="first"),
        pytest.param(
            {1}, OLD.replace("line 17\n", "line 17a\nline 17b\n"), id="second"
        ),
    ],
)
def test_apply_a_subset(accepted: set[int], expected: str) -> None:
    hunks = parse(unified_diff(OLD, NEW, "m.py")).hunks
    assert apply(OLD, hunks, accepted) == expected


def test_no_newline_at_end_of_file_both_ways() -> None:
    old = "a = 1\nb = 2"
    for new in ("a = 1\nb = 3", "a = 1\nb = 3\n"):
        diff = unified_diff(old, new, "m.py")
        assert "\\ No newline at end of file" in diff
        hunks = parse(diff).hunks
        assert apply(old, hunks, {0}) == new
        assert apply(old, hunks, ()) == old
        assert apply(new, parse(unified_diff(new, old, "m.py")).hunks, {0}) == old


def test_crlf_lines_keep_their_endings() -> None:
    old = OLD.replace("\n", "\r\n")
    new = NEW.replace("\n", "\r\n")
    hunks = parse(unified_diff(old, new, "m.py")).hunks
    assert all(line.endswith("\r\n") for hunk in hunks for line in hunk.lines)
    assert apply(old, hunks, {0, 1}) == new
    assert apply(old, hunks, {1}) == old.replace(
        "line 17\r\n", "line 17a\r\nline 17b\r\n"
    )


def test_a_removed_line_that_looks_like_a_header() -> None:
    old = "x = 1\n--- y\n@@ z\n+++ w\n"
    new = "x = 1\n"
    hunks = parse(unified_diff(old, new, "m.py")).hunks
    assert [line[0] for line in hunks[0].lines] == [" ", "-", "-", "-"]
    assert apply(old, hunks, {0}) == new


def test_insertion_into_an_empty_file() -> None:
    hunks = parse(unified_diff("", "x = 1\n", "m.py")).hunks
    assert hunks[0].old_count == 0
    assert apply("", hunks, {0}) == "x = 1\n"


def test_a_changed_file_is_a_mismatch() -> None:
    hunks = parse(unified_diff(OLD, NEW, "m.py")).hunks
    edited = OLD.replace("line 2\n", "line two\n")
    with pytest.raises(Mismatch):
        apply(edited, hunks, {1})  # even a hunk not applied must still fit


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("@@ -1 +1 @@\n-a\n+b\n", id="no file header"),
        pytest.param("--- a/x\n+++ b/x\n@@ -1,2 +1,1 @@\n-a\n", id="hunk ends early"),
        pytest.param("--- a/x\n+++ b/x\n-a\n", id="no hunk header"),
    ],
)
def test_malformed_diffs_are_rejected(text: str) -> None:
    with pytest.raises(DiffError):
        parse(text)


LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\r\n", "d\n", "e"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(old=LINES, new=LINES)
def test_all_hunks_give_the_new_text_and_none_the_old(
    old: list[str], new: list[str]
) -> None:
    # "e" has no newline: it may only end a text, as a last line without one does.
    old_text = "".join(line for line in old if line != "e") + (
        "e" if "e" in old else ""
    )
    new_text = "".join(line for line in new if line != "e") + (
        "e" if "e" in new else ""
    )
    diff = unified_diff(old_text, new_text, "m.py")
    hunks = parse(diff).hunks if diff else ()
    assert apply(old_text, hunks, set(range(len(hunks)))) == new_text
    assert apply(old_text, hunks, ()) == old_text
