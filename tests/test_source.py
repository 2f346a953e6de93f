"""Decoding like Python, keeping untouched bytes, line maps, diffs that git applies."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from codemods.core.diffs import unified_diff
from codemods.core.source import LineMap, SourceError, check_nesting, decode, preserve


def test_decode_bom_cookie_and_default() -> None:
    assert decode(b"\xef\xbb\xbfx = 1\n").encoding == "utf-8-sig"
    assert decode(b"\xef\xbb\xbfx = 1\n").text == "x = 1\n"
    latin = decode("# coding: latin-1\ns = 'é'\n".encode("latin-1"))
    assert latin.encoding == "iso-8859-1" and "é" in latin.text
    assert decode(b"x = 1\n").encoding == "utf-8"
    assert latin.encode(latin.text) == "# coding: latin-1\ns = 'é'\n".encode("latin-1")
    bom = decode(b"\xef\xbb\xbfx = 1\n")
    assert bom.encode("y = 2\n") == b"\xef\xbb\xbfy = 2\n"


@pytest.mark.parametrize(
    ("raw", "message", "line", "col"),
    [
        (b"x = 1\ny = '\xff'\n", "cannot decode as utf-8: invalid start byte", 2, 6),
        (b"x = 1\n\x00\n", "binary content: NUL byte", 2, 1),
        (b"# coding: klingon\n", "unknown encoding: klingon", 1, 1),
    ],
)
def test_decode_errors_have_positions(
    raw: bytes, message: str, line: int, col: int
) -> None:
    with pytest.raises(SourceError) as caught:
        decode(raw)
    assert (caught.value.message, caught.value.line, caught.value.col) == (
        message,
        line,
        col,
    )


def test_nesting_beyond_cpython_limits_is_rejected_before_libcst() -> None:
    check_nesting(b"x = " + b"(" * 150 + b"1" + b")" * 150)
    check_nesting(b"s = '" + b"(" * 500 + b"'\n")  # brackets in a string are fine
    with pytest.raises(SourceError, match="too many nested parentheses"):
        check_nesting(b"x = " + b"(" * 5000 + b"1" + b")" * 5000)


def test_preserve_keeps_lines_libcst_would_reprint() -> None:
    original = "try:\n    a = 1\nexcept ValueError :\n    pass\nb = 2\n"
    roundtrip = original.replace("ValueError :", "ValueError:")
    new = roundtrip.replace("b = 2", "b = 3")
    assert preserve(original, roundtrip, new) == original.replace("b = 2", "b = 3")
    assert preserve(original, original, new) == new


def test_line_map_points_changed_lines_to_their_origin() -> None:
    base = "a\nb\nc\nd\n"
    derived = "a\nnew1\nnew2\nb\nc\nd\n"
    line_map = LineMap(base, derived)
    assert [line_map(n) for n in range(1, 7)] == [1, 2, 2, 2, 3, 4]


def test_line_map_keeps_the_lines_of_a_block_rewritten_line_for_line() -> None:
    base = "a\ncall(x)\ncall(y)  # noqa: TG003\nd\n"
    derived = "a\ntg.call(x)\ntg.call(y)  # noqa: TG003\nd\n"
    line_map = LineMap(base, derived)
    assert [line_map(n) for n in range(1, 5)] == [1, 2, 3, 4]


def test_a_place_in_a_replaced_block_is_found_in_the_lines_it_replaced() -> None:
    base = "a\n    go(x)  # noqa: TG001\n    go(y)  # noqa: TG001\nd\n"
    derived = (
        "a\n    if c:\n        t = go(x)  # noqa: TG001\n    else:\n"
        "        s.go(x)  # noqa: TG001\n"
        "    if c:\n        t = go(y)  # noqa: TG001\n    else:\n"
        "        s.go(y)  # noqa: TG001\nd\n"
    )
    line_map = LineMap(base, derived)
    # The call and the comment, each where it stood: the k-th holder for the k-th.
    assert line_map.place(3, 13) == (2, 5)
    assert line_map.place(7, 13) == (3, 5)
    assert line_map.place(3, 20) == (2, 12)
    assert line_map.place(9, 18) == (3, 12)
    # Text the replaced lines do not hold: the block's first line, column unchanged.
    assert line_map.place(2, 5) == (2, 5)


def test_diff_marks_missing_final_newline_and_git_applies(tmp_path: Path) -> None:
    old = "a = 1\r\nb = 2"
    new = "a = 1\r\nb = 3"
    diff = unified_diff(old, new, "f.py")
    assert diff.endswith("+b = 3\n\\ No newline at end of file\n")
    assert "-b = 2\n\\ No newline at end of file\n" in diff
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f.py").write_bytes(old.encode())
    (tmp_path / "p.diff").write_bytes(diff.encode())
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / "f.py").read_bytes() == new.encode()
    assert unified_diff(old, old, "f.py") == ""


def test_a_block_moved_into_a_with_maps_line_for_line_and_column_by_indent() -> None:
    base = "def f():\n    a = 1\n    b = g(a)\n"
    derived = "def f():\n    x = 0\n    with x:\n        a = 1\n        b = g(a)\n"
    line_map = LineMap(base, derived)
    # `g(a)` at derived 5:13 is base 3:9: the line, and the column less the indent.
    assert line_map.place(5, 13) == (3, 9)
    assert line_map(4) == 2
    # An inserted line maps to the line it precedes, its column unchanged.
    assert line_map.place(2, 5) == (2, 5)
