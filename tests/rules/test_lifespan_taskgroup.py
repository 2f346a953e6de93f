"""TG005 lifespan-taskgroup beyond its golden cases: what it says, what it leaves, and
its ``accepting`` option."""

from __future__ import annotations

import textwrap

from codemods import config
from codemods.core.settings import Settings
from tests.support.golden import run

WATCH = """
import asyncio


async def watch(tg: asyncio.TaskGroup | None = None) -> None:
    await asyncio.sleep(0)
"""


def with_watch(source: str, settings: Settings | None = None) -> tuple[str, list[str]]:
    """TG005 over ``WATCH`` and ``source``: the text after ``WATCH``, and each
    finding's line, fixability and message."""
    result = run("TG005", WATCH + textwrap.dedent(source), settings=settings)
    return result.text.removeprefix(WATCH), [
        f"{f.line} {f.fixable} {f.message}" for f in result.findings
    ]


def test_it_says_which_group_goes_to_which_callee() -> None:
    text, findings = with_watch(
        """

        async def main() -> None:
            async with asyncio.TaskGroup() as outer:
                async with asyncio.TaskGroup() as inner:
                    await watch()
                await watch()
        """
    )
    assert text.endswith(
        "            await watch(tg=inner)\n        await watch(tg=outer)\n"
    )
    assert findings == [
        "12 True pass the TaskGroup `inner` to `watch()`, which takes it as `tg=`",
        "13 True pass the TaskGroup `outer` to `watch()`, which takes it as `tg=`",
    ]


def test_code_that_runs_later_or_is_marked_is_left_alone() -> None:
    source = """

        async def main() -> None:
            async with asyncio.TaskGroup() as tg:
                later = lambda: watch()
                await later()
                await watch()  # noqa: TG005
        """
    text, findings = with_watch(source)
    assert text == textwrap.dedent(source)
    assert findings == []


def test_the_accepting_option_covers_callables_outside_the_project() -> None:
    settings = config.parse_table(
        {"select": ["TG005"], "TG005": {"accepting": ["workers.start_pool"]}},
        source="test",
    )
    source = """
        from workers import start_pool, stop_pool


        async def main() -> None:
            async with asyncio.TaskGroup() as tg:
                await start_pool(4)
                await stop_pool()
        """
    text, _ = with_watch(source, settings)
    assert "        await start_pool(4, tg=tg)\n        await stop_pool()\n" in text
    unconfigured, findings = with_watch(source)
    assert unconfigured == textwrap.dedent(source) and findings == []
