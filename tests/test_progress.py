"""Progress that tells the truth: the files the workers process, counted as they come
back; a bar on a terminal, a line every interval elsewhere, nothing on short runs, and
nothing at all with ``-q``. Time is a fake clock, never measured."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from codemods.core.settings import Settings
from codemods.engine.parent import phases, runner
from codemods.engine.reporting import progress
from tests.support.cli import invoke, write

DANGLING = """
import asyncio


async def serve() -> None:
    asyncio.create_task(asyncio.sleep(1))
"""
PLAIN = """
def add(a: int, b: int) -> int:
    return a + b
"""


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """Every announcement and the count done, as the run reports them."""

    def __init__(self) -> None:
        self.expected: list[tuple[str, int]] = []
        self.done = self.skipped = 0
        self.closed = False

    def expect(self, files: int, phase: str) -> None:
        self.expected.append((phase, files))

    def advance(self, files: int = 1) -> None:
        self.done += files

    def skip(self, files: int = 1) -> None:
        self.skipped += files

    def close(self) -> None:
        self.closed = True


def scan(files: int, seconds_each: float) -> tuple[progress.Log, io.StringIO, Clock]:
    """A log over a scan of ``files`` files, each taking ``seconds_each`` seconds."""
    stream, clock = io.StringIO(), Clock()
    log = progress.Log(stream, interval=10.0, clock=clock)
    log.expect(files, "scanning")
    for _ in range(files):
        clock.now += seconds_each
        log.advance()
    return log, stream, clock


def test_a_log_says_nothing_on_a_run_shorter_than_its_interval() -> None:
    log, stream, _ = scan(50, 0.1)
    log.close()
    assert stream.getvalue() == ""


def test_a_log_writes_a_line_per_interval_with_files_done_and_elapsed() -> None:
    log, stream, clock = scan(30, 1.0)
    log.expect(4, "finalizing")
    clock.now += 9.0
    log.advance(2)  # 9 s after the last line: none yet
    clock.now += 1.0
    log.advance()
    assert stream.getvalue().splitlines() == [
        "codemods: 10 of 30 files processed (scanning), 10 s elapsed",
        "codemods: 20 of 30 files processed (scanning), 20 s elapsed",
        "codemods: 30 of 30 files processed (scanning), 30 s elapsed",
        "codemods: 3 of 4 files processed (finalizing), 40 s elapsed",
    ]


def test_a_long_gap_gives_one_line_not_a_burst() -> None:
    stream, clock = io.StringIO(), Clock()
    log = progress.Log(stream, interval=10.0, clock=clock)
    log.expect(2, "scanning")
    clock.now += 95.0
    log.advance()
    clock.now += 1.0
    log.advance()
    assert stream.getvalue().splitlines() == [
        "codemods: 1 of 2 files processed (scanning), 95 s elapsed"
    ]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_that_counts_each_batch_on_its_own() -> None:
    shown = progress.for_stderr(Tty(), color=False, quiet=False)
    assert isinstance(shown, progress.Bar)
    shown.expect(0, "scanning")
    assert shown.bar is None  # nothing to process: no bar at all
    shown.expect(5, "scanning")
    shown.advance(5)
    shown.expect(2, "finalizing")
    shown.advance()
    assert shown.bar is not None
    (task,) = shown.bar.tasks
    assert (task.description, task.total, task.completed) == ("finalizing", 2, 1)
    shown.close()


@pytest.mark.parametrize(
    ("stream", "quiet", "kind"),
    [
        (Tty(), False, progress.Bar),
        (io.StringIO(), False, progress.Log),
        (Tty(), True, progress.Silent),
        (io.StringIO(), True, progress.Silent),
    ],
)
def test_which_progress_stderr_gets(
    stream: io.StringIO, quiet: bool, kind: type[object]
) -> None:
    assert type(progress.for_stderr(stream, color=False, quiet=quiet)) is kind


def test_the_total_is_the_files_left_after_the_prefilter_each_counted_once(
    tmp_path: Path,
) -> None:
    """Five files, two of which spell a trigger word: the parent's byte prefilter
    clears three, so the bar counts two, and both come back."""
    for name in ("a", "b"):
        write(tmp_path, f"pkg/{name}.py", DANGLING)
    for name in ("c", "d", "e"):
        write(tmp_path, f"pkg/{name}.py", PLAIN)
    settings = Settings(root=str(tmp_path), select=("TG003",))
    recorder = Recorder()
    request = runner.Request(paths=(tmp_path,), settings=settings, jobs=1)
    summary = runner.run(request, progress=recorder)
    assert summary.files_scanned == 5
    assert recorder.expected == [("scanning", 2)]
    assert recorder.done == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_on_a_large_run_the_workers_prefilter_shrinks_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Past ``PARENT_PREFILTER`` files the workers prefilter: every file is sent, and
    each one they drop leaves the total as its answer arrives, so the count ends at
    the files actually parsed, each counted once."""
    monkeypatch.setattr(phases, "PARENT_PREFILTER", 0)  # a large run, small here
    for name in ("a", "b"):
        write(tmp_path, f"pkg/{name}.py", DANGLING)
    for name in ("c", "d", "e"):
        write(tmp_path, f"pkg/{name}.py", PLAIN)
    # Spells the trigger word, but only in a string: the `ast` prefilter drops it.
    write(tmp_path, "pkg/f.py", 'NOTE = "asyncio.create_task"\n')
    settings = Settings(root=str(tmp_path), select=("TG003",))
    stream = io.StringIO()
    log = progress.Log(stream, interval=0.0)  # a line at every event
    request = runner.Request(paths=(tmp_path,), settings=settings, jobs=jobs)
    summary = runner.run(request, progress=log)
    assert summary.stats["parsed"] == 2
    assert (log.phase, log.total, log.done) == ("scanning", 2, 2)
    lines = [line.rsplit(",", 1)[0] for line in stream.getvalue().splitlines()]
    assert lines[0] == "codemods: 0 of 6 files processed (scanning)"
    assert lines[-1] == "codemods: 2 of 2 files processed (scanning)"
    # The total only shrinks, and never below the files done.
    totals = [int(line.split()[3]) for line in lines]
    assert totals == sorted(totals, reverse=True)


def test_a_skipped_file_shrinks_a_bars_total() -> None:
    shown = progress.Bar(Tty(), color=False)
    shown.expect(4, "scanning")
    shown.skip()
    shown.advance()
    shown.skip(2)
    assert shown.bar is not None
    (task,) = shown.bar.tasks
    assert (task.total, task.completed) == (1, 1)
    shown.close()


def test_a_cross_file_round_is_a_batch_of_its_own(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "pkg/poller.py",
        """
        import asyncio


        class Poller:
            def start(self) -> None:
                asyncio.create_task(asyncio.sleep(1))
        """,
    )
    write(
        tmp_path,
        "pkg/main.py",
        """
        from pkg.poller import Poller


        async def main() -> None:
            Poller().start()
        """,
    )
    settings = Settings(root=str(tmp_path), select=("TG002",))
    recorder = Recorder()
    request = runner.Request(paths=(tmp_path,), settings=settings, jobs=1)
    runner.run(request, progress=recorder)
    # The caller spells no trigger word: the index's later round finds it by `start`.
    assert recorder.expected == [("scanning", 1), ("scanning, round 2", 1)]
    assert recorder.done == 2


def test_check_prints_a_progress_line_on_a_long_run_and_none_with_q(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "pkg/a.py", DANGLING)
    # Every event is "an interval later": the log writes on each.
    monkeypatch.setattr(progress, "LOG_INTERVAL", 0.0)
    logged = invoke("check", "--no-cache", "-j", "1", tmp_path)
    lines = logged.stderr.splitlines()
    # One line as the file is announced, one as it comes back: every event is "late".
    logged_lines = [
        re.sub(r", \d+ s elapsed$", "", line)
        for line in lines
        if line.startswith("codemods: ")
    ]
    assert logged_lines == [
        "codemods: 0 of 1 file processed (scanning)",
        "codemods: 1 of 1 file processed (scanning)",
    ]
    quiet = invoke("check", "--no-cache", "-j", "1", "-q", tmp_path)
    assert quiet.exit_code == logged.exit_code == 1
    assert "processed" not in quiet.stderr


def test_check_prints_no_progress_line_on_a_short_run(tmp_path: Path) -> None:
    write(tmp_path, "pkg/a.py", DANGLING)
    result = invoke("check", "--no-cache", "-j", "1", tmp_path)
    assert "processed" not in result.stderr
