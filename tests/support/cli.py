"""Running the ``codemods`` CLI in-process, and building small repositories to run it on."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from codemods.cli import main


def invoke(*args: str | Path) -> Result:
    """Run ``codemods <args>`` with no colour; stdout and stderr kept apart."""
    runner = CliRunner(env={"NO_COLOR": "1"})
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def write(root: Path, relative: str, text: str, *, encoding: str = "utf-8") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


TRACKED = """
import asyncio

from app.task_tracker import track_task


async def tick() -> None:
    await asyncio.sleep(0)


async def run(tg: asyncio.TaskGroup) -> None:
    track_task(tick(), name="tick")


def schedule() -> None:
    track_task(tick())
"""
