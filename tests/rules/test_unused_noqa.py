"""TG100 unused-noqa: what it says about each stale code, what it keeps, and that it
runs last. Its golden cases (before/after and findings) run in ``tests/test_golden.py``."""

from __future__ import annotations

from codemods.rules import registry
from tests.support.golden import run

SCHEDULE = """
import asyncio

from app.task_tracker import track_task


def schedule() -> None:
    track_task(asyncio.sleep(1))  # noqa: {codes}
"""
EVERY = {"select": ["TG001", "TG003", "TG100"]}


def test_it_runs_after_every_codemod_whose_directives_it_judges() -> None:
    assert registry.CODEMODS[-1].code == "TG100"


def test_a_code_that_suppressed_nothing_is_reported_and_removed() -> None:
    result = run("TG100", SCHEDULE.format(codes="TG001, TG003"), table=EVERY)
    [finding] = [f for f in result.findings if f.rule == "TG100"]
    assert (finding.line, finding.fixable, finding.applicability) == (8, True, "safe")
    assert finding.message == (
        "remove unused `noqa` code: TG003 suppresses nothing here"
    )
    assert "# noqa: TG001\n" in result.text


def test_a_code_no_codemod_has_is_named_as_such() -> None:
    result = run("TG100", SCHEDULE.format(codes="TG001, TG010"), table=EVERY)
    [finding] = [f for f in result.findings if f.rule == "TG100"]
    assert finding.message == "remove unused `noqa` code: TG010 is no codemod's code"


def test_the_directive_goes_when_no_code_is_left() -> None:
    result = run("TG100", SCHEDULE.format(codes="TG003"), table=EVERY)
    assert "noqa" not in result.text
    # The TG001 finding it no longer hides is reported.
    assert [f.rule for f in result.findings] == ["TG001", "TG100"]


def test_codes_of_codemods_not_selected_and_other_tools_are_kept() -> None:
    source = SCHEDULE.format(codes="TG003, E501")
    result = run("TG100", source, table={"select": ["TG100"]})
    assert result.findings == () and not result.changed


def test_in_safe_only_runs_its_fix_is_still_applied() -> None:
    result = run(
        "TG100", SCHEDULE.format(codes="TG001, TG003"), table=EVERY, safe_only=True
    )
    assert "# noqa: TG001\n" in result.text


def test_a_directive_carried_into_a_rewritten_block_is_judged_once() -> None:
    # TG003 expands the spawn and carries its comment to both branches; the code
    # suppresses nothing (no tracker call), so it goes in the first run, not the second.
    source = """
    import asyncio


    async def run(tg: asyncio.TaskGroup | None = None) -> None:
        asyncio.create_task(asyncio.sleep(1))  # noqa: TG001
    """
    table = {"select": ["TG001", "TG003", "TG100"]}
    first = run("TG100", source, table=table)
    assert "noqa" not in first.text
    assert not run("TG100", first.text, table=table).changed
