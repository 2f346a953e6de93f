"""TG001 legacy-tracker: what it says about each call it meets, what it leaves to
whom, and that it runs as a plain LibCST codemod. Its golden cases (before/after and
findings) run in ``tests/test_golden.py``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext

from codemods.commands import taskgroup
from codemods.core.results import Summary
from codemods.cst.build import add_parameter
from codemods.engine.parent import runner
from tests.support.golden import run, settings_for
from tests.support.trackers import TRACK_TASK

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
        "referenced `asyncio.create_task()` when `tg` is None (the tracker's "
        "definition is not in this run: were it to do more than keep a reference, "
        "run on the whole project to keep it)"
    )
    assert "_background_tasks.add(task)" in result.text


TRACKER = (
    """
import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

logger = logging.getLogger(__name__)
"""
    + TRACK_TASK
)
SERVICE = """
import asyncio

from app.tasks import track_task


async def tick() -> None:
    await asyncio.sleep(0)


async def serve(tg: asyncio.TaskGroup | None = None) -> None:
    track_task(tick())
"""


def _tree(root: Path, tracker: str, service: str = SERVICE) -> Summary:
    """``app/tasks.py`` (``tracker``) and ``app/service.py`` (``service``), run with
    TG005 too, which builds the project index."""
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "tasks.py").write_text(tracker)
    (root / "app" / "service.py").write_text(service)
    settings = replace(settings_for("TG001", WITH_INDEX), root=str(root))
    return runner.run(runner.Request((root,), settings, mode="run", jobs=1))


WITH_INDEX = {"select": ["TG001", "TG005"]}


def _messages(summary: Summary) -> list[str]:
    return [
        finding.message for result in summary.results for finding in result.findings
    ]


def test_a_plain_tracker_keeps_todays_fallback(tmp_path: Path) -> None:
    [message] = _messages(_tree(tmp_path, TRACKER))
    assert message.endswith("(the tracker only keeps a strong reference)")


def test_a_tracker_that_logs_is_called_again_without_a_taskgroup(
    tmp_path: Path,
) -> None:
    logging = TRACKER.replace(
        "    _tasks.add(task)\n", '    _tasks.add(task)\n    logger.info("started")\n'
    )
    [message] = _messages(_tree(tmp_path, logging))
    assert message.startswith(
        "replace `track_task()` with `tg.create_task()`, calling `track_task()` as "
        "before when `tg` is None: the tracker does more than keep a strong reference "
        '(`logger.info("started")`)'
    )
    assert message.endswith("tasks spawned into `tg` are no longer seen by the tracker")


def test_a_module_function_reading_the_trackers_tasks_makes_it_do_more(
    tmp_path: Path,
) -> None:
    counting = TRACKER + "\n\ndef task_count() -> int:\n    return len(_tasks)\n"
    [message] = _messages(_tree(tmp_path, counting))
    assert "(its module's `task_count()` read `_tasks`)" in message


def test_an_unused_tracker_module_is_reported_at_its_definition(
    tmp_path: Path,
) -> None:
    summary = _tree(tmp_path, TRACKER, "async def serve() -> None:\n    pass\n")
    [result] = [r for r in summary.results if r.findings]
    [finding] = result.findings
    assert Path(result.path).name == "tasks.py"
    assert (finding.line, finding.col, finding.fixable) == (11, 5, False)
    assert finding.message == (
        "nothing outside its module calls `track_task()`, or any other function of "
        "it, any more: its module can be deleted"
    )


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
    """``python -m libcst.tool codemod taskgroup.LegacyTracker``: no settings given,
    the defaults apply, and the fix is made."""
    module = cst.parse_module(
        TICK.lstrip("\n") + "\n\nasync def serve(tg: asyncio.TaskGroup) -> None:\n"
        "    track_task(tick())\n"
    )
    # Made from the registry at import, so looked up by name as LibCST does.
    command = vars(taskgroup)["LegacyTracker"](CodemodContext())
    assert isinstance(command, CodemodCommand)
    result = command.transform_module(module)
    assert "tg.create_task(tick())" in result.code
    assert "track_task" not in result.code


def test_the_keyword_only_parameter_keeps_an_exploded_signature_and_its_comments() -> (
    None
):
    source = "async def f(\n    a: int,  # first\n    b: int,  # last\n) -> None:\n    pass\n"
    function = cst.parse_module(source).body[0]
    assert isinstance(function, cst.FunctionDef)
    added = add_parameter(
        function,
        "tg: asyncio.TaskGroup | None = None",
        column=0,
        line_length=88,
        unit="    ",
        keyword_only=True,
    )
    assert cst.Module([added]).code == (
        "async def f(\n    a: int,  # first\n    b: int,  # last\n    *,\n"
        "    tg: asyncio.TaskGroup | None = None,\n) -> None:\n    pass\n"
    )


def test_a_fallback_line_grown_too_long_is_laid_out_again(tmp_path: Path) -> None:
    logging = TRACKER.replace(
        "    _tasks.add(task)\n", '    _tasks.add(task)\n    logger.info("started")\n'
    )
    long_call = "    track_task(tick())\n"
    service = SERVICE.replace(
        long_call,
        "    started = track_task(tick_for_a_long_while_with_a_long_name_extended1(tick_count=1))\n"
        "    print(started)\n",
    ).replace(
        "async def tick()",
        "async def tick_for_a_long_while_with_a_long_name_extended1(tick_count: int)",
    )
    _tree(tmp_path, logging, service)
    settings = replace(settings_for("TG001", WITH_INDEX), root=str(tmp_path))
    runner.run(runner.Request((tmp_path,), settings, mode="run", write=True, jobs=1))
    written = (tmp_path / "app" / "service.py").read_text()
    assert (
        "    if tg is None:\n"
        "        started = track_task(\n"
        "            tick_for_a_long_while_with_a_long_name_extended1(tick_count=1)\n"
        "        )\n"
        "    else:\n"
        "        started = tg.create_task(\n"
        "            tick_for_a_long_while_with_a_long_name_extended1(tick_count=1)\n"
        "        )\n"
    ) in written
    assert max(len(line) for line in written.splitlines()) <= 88
