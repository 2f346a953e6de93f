"""Regression tests for engine bugs the robustness runs found, one scenario each."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from codemods.core.diffs import NO_NEWLINE, unified_diff
from codemods.core.noqa import NoqaMap
from codemods.core.settings import Settings
from codemods.core.source import (
    MAX_SOURCE_BYTES,
    LineMap,
    SourceError,
    check_size,
    preserve,
    split_lines,
)
from codemods.engine.discovery import discover
from codemods.engine.paths import TEMP_SUFFIX
from codemods.engine.worker.transform import transform_text

TG001 = ("TG001",)

# A page break (form feed alone on a line) before the code, as Emacs users write them.
PAGE_BREAK = """\
import asyncio

from app.task_tracker import track_task
\x0c

async def run(tg: asyncio.TaskGroup) -> None:
    track_task(asyncio.sleep(0))  # noqa: TG001
    track_task(asyncio.sleep(1))
"""


def test_split_lines_breaks_only_where_python_does() -> None:
    text = "a\x0cb\n\x0b\x1c\x1d\x1e\x85\u2028\u2029\r\nc\rd"
    assert split_lines(text) == [
        "a\x0cb\n",
        "\x0b\x1c\x1d\x1e\x85\u2028\u2029\r\n",
        "c\r",
        "d",
    ]
    assert split_lines("") == []
    assert split_lines("\n\n") == ["\n", "\n"]


def test_noqa_after_a_page_break_still_suppresses() -> None:
    # str.splitlines() counted the form feed as a line end, so the directive was looked
    # for one line too low and the suppressed call was rewritten.
    assert set(NoqaMap.of(PAGE_BREAK).directives) == {7}
    outcome = transform_text(PAGE_BREAK, TG001, Settings())
    assert "    track_task(asyncio.sleep(0))  # noqa: TG001\n" in outcome.text
    assert "    tg.create_task(asyncio.sleep(1))\n" in outcome.text
    assert "from app.task_tracker import track_task\n" in outcome.text, "still used"
    assert [(f.line, f.fixable) for f in outcome.findings] == [(8, True)]


def test_noqa_in_a_file_with_carriage_return_newlines() -> None:
    text = PAGE_BREAK.replace("\n", "\r")
    assert set(NoqaMap.of(text).directives) == {7}
    outcome = transform_text(text, TG001, Settings())
    assert "    track_task(asyncio.sleep(0))  # noqa: TG001\r" in outcome.text


def test_carriage_return_file_keeps_its_final_newline() -> None:
    # LibCST prints a file whose lines end in a lone \r without its final \r; when the
    # last line changed, the file lost it.
    text = (
        "import asyncio\rfrom app.task_tracker import track_task\r\r"
        "async def run(tg: asyncio.TaskGroup) -> None:\r"
        "    track_task(asyncio.sleep(1))\r"
    )
    outcome = transform_text(text, TG001, Settings())
    assert outcome.text.endswith("    tg.create_task(asyncio.sleep(1))\r")
    assert "\n" not in outcome.text
    assert preserve("a = 1\r", "a = 1", "a = 2") == "a = 2\r"
    assert preserve("a = 1\r\n", "a = 1\r\n", "a = 2") == "a = 2", "only a lost ending"


def test_line_map_counts_lines_as_python_does() -> None:
    base = "a\x0cb\nc\n"
    derived = "a\x0cb\nnew\nc\n"
    line_map = LineMap(base, derived)
    assert [line_map(n) for n in (1, 2, 3)] == [1, 2, 2]


def test_diff_of_a_file_with_a_page_break_applies(tmp_path: Path) -> None:
    # The form feed line was split in two, and the first half got a
    # "\ No newline at end of file" marker in the middle of the hunk.
    outcome = transform_text(PAGE_BREAK, TG001, Settings())
    diff = unified_diff(PAGE_BREAK, outcome.text, "f.py", context=8)
    assert NO_NEWLINE not in diff
    assert " \x0c\n" in diff
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f.py").write_bytes(PAGE_BREAK.encode())
    (tmp_path / "p.diff").write_bytes(diff.encode())
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / "f.py").read_bytes() == outcome.text.encode()


def test_temporary_files_of_a_killed_write_are_never_source(tmp_path: Path) -> None:
    # A run killed between creating and renaming its temporary file leaves it behind;
    # the next run must not migrate (and then write over) it, whatever `include` says.
    legacy = "from app.task_tracker import track_task\ntrack_task(job())\n"
    (tmp_path / "a.py").write_text(legacy)
    leftover = tmp_path / f".a.py.k3j2{TEMP_SUFFIX}"
    leftover.write_text(legacy)
    settings = Settings(root=str(tmp_path), include=(f"*{TEMP_SUFFIX}",))
    walked = discover([tmp_path], settings)
    assert [path.name for path in walked.files] == ["a.py"]
    named = discover([leftover], settings)
    assert named.files == ()
    reasons = [skipped.reason for skipped in named.skipped]
    assert reasons == ["temporary file of an interrupted write"]


def test_a_file_over_the_size_limit_is_reported_not_parsed() -> None:
    # LibCST needs ~400 MB and ~10 s a megabyte: a generated 20 MB module took a
    # worker's memory before its time limit.
    check_size(b"x" * MAX_SOURCE_BYTES)
    with pytest.raises(SourceError, match=r"too large to parse \(2\.0 MB"):
        check_size(b"x" * (MAX_SOURCE_BYTES + 1))
