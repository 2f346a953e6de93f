"""TG001 legacy-tracker: what it says about each call it meets, what it leaves to
whom, and that it runs as a plain LibCST codemod. Its golden cases (before/after and
findings) run in ``tests/test_golden.py``."""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext

from codemods.rules.legacy_tracker.codemod import LegacyTracker
from tests.support.golden import run

TICK = """
import asyncio

from app.task_tracker import track_task


async def tick() -> None:
    await asyncio.sleep(0)
"""


def test_a_call_with_a_taskgroup_in_scope_names_the_group_it_moves_to() -> None:
    result = run(
        "TG001",
        TICK + "\n\nasync def serve(tg: asyncio.TaskGroup) -> None:\n"
        '    track_task(tick(), name="tick")\n',
    )
    [finding] = result.findings
    assert (finding.line, finding.col, finding.fixable) == (12, 5, True)
    assert finding.message == "replace `track_task()` with `tg.create_task()`"
    assert 'tg.create_task(tick(), name="tick")' in result.text
    assert "track_task" not in result.text  # nor its import, now unused


def test_an_optional_group_says_where_the_task_goes_without_one() -> None:
    result = run(
        "TG001",
        TICK + "\n\nasync def serve(tg: asyncio.TaskGroup | None = None) -> None:\n"
        "    track_task(tick())\n",
    )
    [finding] = result.findings
    assert finding.message == (
        "replace `track_task()` with `tg.create_task()`, falling back to a strongly "
        "referenced `asyncio.create_task()` when `tg` is None"
    )
    assert "_background_tasks.add(task)" in result.text


def test_no_taskgroup_in_scope_is_reported_and_left_to_a_person() -> None:
    source = TICK + "\n\ndef schedule() -> None:\n    track_task(tick())\n"
    result = run("TG001", source)
    [finding] = result.findings
    assert (finding.line, finding.fixable) == (12, False)
    assert finding.message == (
        "`track_task()` has no TaskGroup in scope: pass one in, or let TG002 "
        "convert the enclosing lifecycle method"
    )
    assert result.text == source and not result.changed


def test_an_argument_the_taskgroup_does_not_take_is_reported() -> None:
    source = (
        TICK + "\n\nasync def serve(tg: asyncio.TaskGroup) -> None:\n"
        "    track_task(tick(), cancel_on_shutdown=False)\n"
    )
    [finding] = run("TG001", source).findings
    assert not finding.fixable
    assert "`cancel_on_shutdown=`" in finding.message
    assert finding.message.endswith("migrate this call by hand")


def test_a_tracker_still_used_elsewhere_keeps_its_import() -> None:
    result = run(
        "TG001",
        TICK + "\n\nasync def serve(tg: asyncio.TaskGroup) -> None:\n"
        "    track_task(tick())\n\n\ndef schedule() -> None:\n    track_task(tick())\n",
    )
    assert [f.fixable for f in result.findings] == [True, False]
    assert "from app.task_tracker import track_task" in result.text


def test_a_dotted_tracker_matches_that_module_only() -> None:
    source = TICK + "\n\nasync def serve(tg: asyncio.TaskGroup) -> None:\n"
    source += "    track_task(tick())\n"
    elsewhere = run("TG001", source, table={"trackers": ["jobs.track_task"]})
    assert elsewhere.findings == () and not elsewhere.changed
    there = run("TG001", source, table={"trackers": ["app.task_tracker.track_task"]})
    assert there.changed


def test_it_runs_as_a_plain_libcst_codemod() -> None:
    """``python -m libcst.tool codemod legacy_tracker.codemod.LegacyTracker``: no
    settings given, the defaults apply, and the fix is made."""
    module = cst.parse_module(
        TICK.lstrip("\n") + "\n\nasync def serve(tg: asyncio.TaskGroup) -> None:\n"
        "    track_task(tick())\n"
    )
    result = LegacyTracker(CodemodContext()).transform_module(module)
    assert "tg.create_task(tick())" in result.code
    assert "track_task" not in result.code
