"""``run --interactive`` as a person uses it: in a pseudo-terminal, hunk by hunk."""

from __future__ import annotations

import io
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pytest

from codemods import config
from codemods.engine.parent import runner
from codemods.engine.reporting.terminal import Terminal
from codemods.review import steps
from codemods.review.commit import Outcome
from codemods.review.interactive import HELP, PROMPT, summarize
from tests.support.cli import invoke, write

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# Three tracker calls far enough apart to make three hunks; the first hunk also drops
# the tracker import (unused once every call is migrated), so it cannot go alone.
TRACKED = """
import asyncio

from app.task_tracker import track_task


async def first(tg: asyncio.TaskGroup) -> None:
    track_task(asyncio.sleep(1))


async def spacer_one() -> None:
    await asyncio.sleep(0)


async def second(tg: asyncio.TaskGroup) -> None:
    track_task(asyncio.sleep(2))


async def spacer_two() -> None:
    await asyncio.sleep(0)


async def third(tg: asyncio.TaskGroup) -> None:
    track_task(asyncio.sleep(3))
"""
# Three independent hunks (TG003): any selection of them may be written.
DANGLING = TRACKED.replace("\nfrom app.task_tracker import track_task\n", "").replace(
    "track_task(", "asyncio.create_task("
)


def _migrated(source: str, *numbers: int) -> str:
    text = source
    for number in numbers:
        for call in ("track_task", "asyncio.create_task"):
            text = text.replace(
                f"{call}(asyncio.sleep({number}))",
                f"tg.create_task(asyncio.sleep({number}))",
            )
    if "track_task(" not in text:
        text = text.replace("\nfrom app.task_tracker import track_task\n", "")
    return text.lstrip("\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    sources = {"a": TRACKED, "b": TRACKED, "c": DANGLING, "d": DANGLING}
    for name, source in sources.items():
        write(tmp_path, f"app/{name}.py", source)
    return tmp_path


def _spawn(cwd: Path, *args: str) -> pexpect.spawn:
    env = dict(os.environ, PYTHONPATH=str(REPO), TERM="xterm", COLUMNS="120")
    env.pop("NO_COLOR", None)  # colours on, as a person sees it
    return pexpect.spawn(
        sys.executable,
        ["-m", "codemods", "run", "--interactive", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=120,
        dimensions=(40, 120),
        # A shell starts background jobs with SIGINT ignored, and the child would
        # inherit that: Ctrl-C must reach it as it reaches a person's terminal.
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _answer(child: pexpect.spawn, *answers: str) -> Iterator[str]:
    """Answer the prompts in order; yields what was shown before each prompt."""
    for answer in answers:
        child.expect_exact(PROMPT)
        yield ANSI.sub("", child.before)
        child.sendline(answer)


def test_a_review_session_in_a_terminal(project: Path) -> None:
    child = _spawn(project, "app")
    answers = [
        *("y", "n", "?", "y"),  # app/a.py: apply, skip, help, apply (refused)
        *("n", "a"),  # app/b.py: skip, then apply the rest of the file
        "d",  # app/c.py: skip the whole file
        *("y", "q"),  # app/d.py: apply, then quit
    ]
    shown = list(_answer(child, *answers))
    child.expect(pexpect.EOF)
    child.close()
    tail = ANSI.sub("", child.before)

    assert child.exitstatus == 0, tail
    assert "app/a.py (hunk 1/12) by TG001 legacy-tracker (unsafe fix)" in shown[0]
    assert "-from app.task_tracker import track_task" in shown[0]
    assert "+    tg.create_task(asyncio.sleep(1))" in shown[0]
    assert "app/a.py (hunk 2/12) by TG001 legacy-tracker" in shown[1]
    assert HELP.splitlines()[0] in shown[3], "? prints the help, then asks again"
    assert "app/c.py (hunk 7/12) by TG003 dangling-task" in shown[6]
    assert "app/d.py (hunk 10/12)" in shown[7]
    assert "(hunk 11/12)" not in tail, "q asks nothing more"

    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    assert lines[-6:] == [
        "app/a.py: 0 applied, 1 skipped, 2 refused",
        "app/b.py: 2 applied, 1 skipped, 0 refused",
        "app/c.py: 0 applied, 3 skipped, 0 refused",
        "app/d.py: 1 applied, 2 skipped, 0 refused",
        "app/a.py: left unchanged: leaves `track_task` undefined (used at line 15): "
        "accept the hunks at lines 2, 15 and 23 of this file together, or none of them",
        "3 hunks applied in 2 files, 7 skipped, 2 refused",
    ]
    app = project / "app"
    assert (app / "a.py").read_text() == TRACKED.lstrip("\n"), "refused: unchanged"
    assert (app / "b.py").read_text() == _migrated(TRACKED, 2, 3)
    assert "from app.task_tracker import track_task" in (app / "b.py").read_text()
    assert (app / "c.py").read_text() == DANGLING.lstrip("\n")
    assert (app / "d.py").read_text() == _migrated(DANGLING, 1)


def test_end_of_input_quits_keeping_what_was_accepted(project: Path) -> None:
    child = _spawn(project, "app/c.py")
    list(_answer(child, "y"))
    child.expect_exact(PROMPT)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "app/c.py: 1 applied, 2 skipped, 0 refused" in ANSI.sub("", child.before)
    assert (project / "app" / "c.py").read_text() == _migrated(DANGLING, 1)


def test_refuses_without_a_terminal(project: Path) -> None:
    before = (project / "app" / "a.py").read_bytes()
    result = invoke("run", "--interactive", project)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "codemods: error: --interactive asks about each change, "
        "but stdin is not a terminal"
    ]
    assert result.stdout == ""
    assert (project / "app" / "a.py").read_bytes() == before


def test_write_and_interactive_are_mutually_exclusive(project: Path) -> None:
    result = invoke("run", "--write", "--interactive", project)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "codemods: error: --write and --interactive are mutually exclusive"
    ]
    assert (project / "app" / "a.py").read_text() == TRACKED.lstrip("\n")


# -- a group across files: a converted `start()` and its caller ----------------------

POLLER = """
import asyncio


class Poller:
    def __init__(self, interval: float) -> None:
        self.interval = interval

    async def poll(self) -> int:
        await asyncio.sleep(self.interval)
        return 0

    def start(self) -> None:
        asyncio.create_task(self.poll())
"""

MAIN = """
import asyncio

from pkg.poller import Poller


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        poller = Poller(1.0)
        poller.start()
"""


def _review(root: Path, answers: list[str]) -> tuple[int, list[str]]:
    """Run over ``root``, review it with scripted answers: exit code, stderr lines."""
    settings = config.load([root])
    request = runner.Request((root,), settings, mode="run", want_diff=True, jobs=1)
    summary = runner.run(request)
    out, err = io.StringIO(), io.StringIO()
    replies = iter(answers)
    code = steps.interactive(
        summary,
        Terminal(out, err, color=False),
        {"TG002": "sync-start"},
        ask=lambda prompt: next(replies),
    )
    return int(code), err.getvalue().splitlines()


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/poller.py", POLLER)
    write(tmp_path, "pkg/main.py", MAIN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_signature_without_its_caller_is_refused(package: Path) -> None:
    code, lines = _review(Path("pkg"), ["n", "y"])  # main.py: skip; poller.py: apply
    assert code == 0
    group = "TG002:pkg.poller.Poller.start"
    assert lines == [
        "pkg/main.py: 0 applied, 1 skipped, 0 refused",
        "pkg/poller.py: 0 applied, 0 skipped, 1 refused",
        f"pkg/poller.py: left unchanged: applies only part of {group}: 1 of its 2 "
        "changes (the rest, in pkg/main.py, were not accepted or were refused)",
        "0 hunks applied in 0 files, 1 skipped, 1 refused",
    ]
    assert (package / "pkg" / "poller.py").read_text() == POLLER.lstrip("\n")


def test_a_signature_with_its_caller_is_written(package: Path) -> None:
    code, lines = _review(Path("pkg"), ["y", "y"])
    assert code == 0
    assert lines[-1] == "2 hunks applied in 2 files, 0 skipped, 0 refused"
    assert "await poller.start(tg=tg)" in (package / "pkg" / "main.py").read_text()
    assert (
        "async def start(self, tg: asyncio.TaskGroup | None = None) -> None:"
        in (package / "pkg" / "poller.py").read_text()
    )


def test_quitting_after_half_a_group_writes_nothing_of_it(package: Path) -> None:
    code, lines = _review(Path("pkg"), ["y", "q"])
    assert code == 0
    assert lines[0] == "pkg/main.py: 0 applied, 0 skipped, 1 refused"
    assert lines[-1] == "0 hunks applied in 0 files, 1 skipped, 1 refused"
    assert (package / "pkg" / "main.py").read_text() == MAIN.lstrip("\n")


# -- a group across files: a parameter TG003 adds and the caller TG005 passes it to ----

WORKER = """
import asyncio


class Worker:
    def __init__(self) -> None:
        self.count = 0

    async def _run(self) -> None:
        await asyncio.sleep(0)

    async def initialize(self) -> None:
        asyncio.create_task(self._run())
"""

LIFESPAN = """
import asyncio

from pkg.worker import Worker


async def lifespan(worker: Worker) -> None:
    async with asyncio.TaskGroup() as bg:
        await worker.initialize()
"""


@pytest.fixture
def gaining(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/worker.py", WORKER)
    write(tmp_path, "pkg/app.py", LIFESPAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_passing_a_parameter_is_refused_without_the_fix_that_adds_it(
    gaining: Path,
) -> None:
    # app.py: pass `tg=bg` (accepted); worker.py: initialize() and the spawn
    # (one hunk, skipped). Written alone, the call would raise TypeError.
    code, lines = _review(Path("pkg"), ["y", "n"])
    assert code == 0
    group = "TG003:pkg.worker.Worker"
    assert lines == [
        "pkg/app.py: 0 applied, 0 skipped, 1 refused",
        "pkg/worker.py: 0 applied, 1 skipped, 0 refused",
        f"pkg/app.py: left unchanged: applies only part of {group}: 1 of its 2 "
        "changes (the rest, in pkg/worker.py, were not accepted or were refused)",
        "0 hunks applied in 0 files, 1 skipped, 1 refused",
    ]
    assert (gaining / "pkg" / "app.py").read_text() == LIFESPAN.lstrip("\n")


def test_a_parameter_with_the_fix_that_adds_it_is_written(gaining: Path) -> None:
    code, lines = _review(Path("pkg"), ["y", "y"])
    assert code == 0
    assert lines[-1] == "2 hunks applied in 2 files, 0 skipped, 0 refused"
    assert "await worker.initialize(tg=bg)" in (gaining / "pkg" / "app.py").read_text()
    worker = (gaining / "pkg" / "worker.py").read_text()
    # No construction passes a TaskGroup, so `__init__` keeps its signature.
    assert "def __init__(self) -> None:" in worker
    assert "async def initialize(self, tg: asyncio.TaskGroup | None = None)" in worker


def test_ctrl_c_aborts_writing_nothing(project: Path) -> None:
    before = (project / "app" / "c.py").read_bytes()
    child = _spawn(project, "app/c.py")
    list(_answer(child, "y"))  # accepted, but the review is then interrupted
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130  # 128 + SIGINT, as documented
    assert "codemods: interrupted" in ANSI.sub("", child.before)
    assert (project / "app" / "c.py").read_bytes() == before


def test_nothing_to_review(tmp_path: Path) -> None:
    write(tmp_path, "a.py", "x = 1\n")
    code, lines = _review(tmp_path, [])
    assert code == 0
    assert lines == ["nothing to review: no codemod would change a file"]


def test_the_summary_counts_in_the_singular_and_plural() -> None:
    out, err = io.StringIO(), io.StringIO()
    outcomes = [Outcome("a.py", 1, 0, 0), Outcome("b.py", 0, 2, 0)]
    summarize(Terminal(out, err, color=False), outcomes)
    last = err.getvalue().splitlines()[-1]
    assert last == "1 hunk applied in 1 file, 2 skipped, 0 refused"
