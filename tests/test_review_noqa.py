"""Suppressions: TG100 reports ``# noqa`` codes that suppress nothing; ``--add-noqa``
suppresses what a person still has to decide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemods.core.noqa import NoqaMap, add_codes, remove_codes
from codemods.core.settings import Settings
from codemods.engine.worker.transform import transform_text
from codemods.review.noqa_edit import suppress
from codemods.rules import registry
from tests.support.cli import TRACKED, invoke, write

STALE = """
import asyncio

from app.task_tracker import track_task


async def run(tg: asyncio.TaskGroup) -> None:
    tg.create_task(asyncio.sleep(0))  # noqa: TG001


def schedule() -> None:
    track_task(asyncio.sleep(0))  # noqa: TG001, TG003, E501
    value = 1  # noqa: TG010
"""


@pytest.fixture
def stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write(tmp_path, "app/stale.py", STALE)


def test_check_reports_directives_that_suppress_nothing(stale: Path) -> None:
    result = invoke("check", "app")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "app/stale.py: would be changed by TG100",
        "app/stale.py:7:39: TG100 [*] remove unused `noqa` code: TG001 suppresses "
        "nothing here",
        "app/stale.py:11:35: TG100 [*] remove unused `noqa` code: TG003 suppresses "
        "nothing here",
        "app/stale.py:12:16: TG100 [*] remove unused `noqa` code: TG010 is no "
        "codemod's code",
    ]


def test_run_write_removes_them_and_check_then_passes(stale: Path) -> None:
    assert invoke("run", "--write", "app").exit_code == 0
    text = stale.read_text()
    assert "    tg.create_task(asyncio.sleep(0))\n" in text
    assert "    track_task(asyncio.sleep(0))  # noqa: TG001, E501\n" in text
    assert "    value = 1\n" in text
    final = invoke("check", "app")
    assert final.exit_code == 0, final.stdout
    assert final.stdout == ""


def test_codes_of_codemods_not_selected_are_left_alone(stale: Path) -> None:
    result = invoke("check", "--select", "TG100", "app")
    assert [line.split(": TG100 ")[0] for line in result.stdout.splitlines()[1:]] == [
        "app/stale.py:12:16"
    ], "only the unknown code: TG001 and TG003 did not run"


def test_unused_noqa_is_a_documented_rule(stale: Path) -> None:
    listing = json.loads(invoke("list", "--format", "json").stdout)
    assert listing[-1] == {
        "code": "TG100",
        "name": "unused-noqa",
        "description": "Remove `# noqa` codes that suppress nothing",
        "fix_safety": "safe",
    }
    page = invoke("explain", "unused-noqa").stdout
    assert page.startswith("# unused-noqa (TG100)\n")
    assert "## Fix safety\n**safe**." in page
    sarif = json.loads(invoke("check", "--format", "sarif", "app").stdout)
    run = sarif["runs"][0]
    assert "TG100" in [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert {r["ruleId"] for r in run["results"]} == {"TG100"}
    assert {r["properties"]["applicability"] for r in run["results"]} == {"safe"}


def test_a_directive_is_used_when_any_stage_used_it() -> None:
    # TG001 rewrites the first call and adds lines above the second: the directive on
    # the second call is asked for at its shifted line and still counts as used.
    source = TRACKED.replace(
        "    track_task(tick())\n", "    track_task(tick())  # noqa: TG001\n"
    )
    settings = Settings()
    result = transform_text(
        source.lstrip("\n"), registry.codes(settings), settings, module_name="m"
    )
    assert [f.rule for f in result.findings] == ["TG001"]
    assert "track_task(tick())  # noqa: TG001\n" in result.text


def test_stage_views_share_the_bookkeeping() -> None:
    noqa = NoqaMap.of("x = 1\ny = 2  # noqa: TG003, TG001\n")
    shifted = noqa.stage("TG003", [lambda line: line - 5])  # stage line 7 = original 2
    assert shifted.suppresses(7, "TG003")
    assert noqa.used == {(2, "TG003")}
    assert noqa.unused(2, "# noqa: TG003, TG001", {"TG001", "TG003"}) == ()
    noqa.stage("TG001", [])
    assert noqa.unused(2, "# noqa: TG003, TG001", {"TG001", "TG003"}) == ("TG001",)
    assert noqa.unused(2, "# noqa: TG001", {"TG001", "TG003"}) == (), "not that comment"


@pytest.mark.parametrize(
    ("comment", "codes", "expected"),
    [
        ("# noqa: TG001", {"TG001"}, None),
        ("# noqa: TG001, E501", {"TG001"}, "# noqa: E501"),
        ("# noqa:TG003 TG001", {"TG003"}, "# noqa:TG001"),
        ("# pragma: no cover  # noqa: TG001", {"TG001"}, "# pragma: no cover"),
        ("# noqa: TG001 see ADR 12", {"TG001"}, "# see ADR 12"),
        ("# noqa", {"TG001"}, "# noqa"),
    ],
)
def test_remove_codes(comment: str, codes: set[str], expected: str | None) -> None:
    assert remove_codes(comment, codes) == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        (None, "# noqa: TG001, TG003"),
        ("# noqa: E501", "# noqa: E501, TG001, TG003"),
        ("# noqa: TG003 (reason)", "# noqa: TG003, TG001 (reason)"),
        ("# keep me", "# keep me  # noqa: TG001, TG003"),
        ("# noqa", "# noqa"),
    ],
)
def test_add_codes(comment: str | None, expected: str) -> None:
    assert add_codes(comment, ["TG003", "TG001"]) == expected


# -- --add-noqa ------------------------------------------------------------------------

PENDING = '''
from app.task_tracker import track_task


def plain() -> None:
    track_task(job())


def commented() -> None:
    track_task(job())   # keep this comment


def merged() -> None:
    track_task(job())  # noqa: E501


def inside_a_string() -> None:
    track_task(job(), """
    text""")


def continued() -> None:
    track_task(job()) + \\
        1
'''


def test_suppress_lines() -> None:
    text = PENDING.lstrip("\n")
    wanted = {5: {"TG001"}, 9: {"TG001"}, 13: {"TG001"}, 17: {"TG001"}, 22: {"TG001"}}
    new, added, skipped = suppress(text, wanted)
    assert added == 3
    assert skipped == (
        "line 17: the line ends inside a string",
        "line 22: the line continues with a backslash",
    )
    lines = new.splitlines()
    assert lines[4] == "    track_task(job())  # noqa: TG001"
    assert lines[8] == "    track_task(job())   # keep this comment  # noqa: TG001"
    assert lines[12] == "    track_task(job())  # noqa: E501, TG001"
    assert lines[16:18] == ['    track_task(job(), """', '    text""")']


def test_suppress_keeps_crlf() -> None:
    new, added, _ = suppress("x = 1\r\ny = 2\r\n", {1: {"TG003"}})
    assert (new, added) == ("x = 1  # noqa: TG003\r\ny = 2\r\n", 1)


def test_add_noqa_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "app/pending.py", PENDING)
    latin = write(
        tmp_path,
        "app/latin.py",
        "# -*- coding: latin-1 -*-\nfrom app.task_tracker import track_task\n\n\n"
        "def f() -> None:\n    track_task(job())  # café\n",
        encoding="latin-1",
    )

    result = invoke("check", "--add-noqa", "app")

    assert result.exit_code == 1, "two findings could not be suppressed"
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "app/pending.py: line 17: the line ends inside a string: no noqa added",
        "app/pending.py: line 22: the line continues with a backslash: no noqa added",
        "added 4 noqa directives to 2 files",
    ]
    assert latin.read_bytes().endswith("  # café  # noqa: TG001\n".encode("latin-1"))
    assert "    track_task(job())  # noqa: TG001\n" in path.read_text()
    again = invoke("check", "app")
    assert [line.split(": TG001 ")[0] for line in again.stdout.splitlines()] == [
        "app/pending.py:17:5",
        "app/pending.py:22:5",
    ], "only the findings that could not take a directive remain; none is unused"


def test_add_noqa_on_a_clean_tree(tmp_path: Path) -> None:
    write(tmp_path, "a.py", "x = 1\n")
    result = invoke("check", "--add-noqa", tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["added 0 noqa directives to 0 files"]
