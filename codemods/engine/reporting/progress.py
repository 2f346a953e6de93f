"""Progress on stderr that tells the truth: files done out of the files being processed.

The run announces each batch of work as it starts (``expect``: a phase and its file
count) and counts each file as it comes back (``advance``). Files the cache answers,
or that the parent's own byte prefilter clears, are never announced: they take no time.
What goes to the workers is counted when its worker reports it: a file its byte or
``ast`` prefilter drops there (a large run's prefilters run in the workers) leaves the
total instead (``skip``), so the total shrinks to the files actually parsed as the
workers' answers arrive, and the bar advances only for those.
A cross-file run has later batches (files scanned again for the names the project index
learnt, pending files finalized, then written): each is shown as its own phase with its
own count, so no file is counted twice and no total is a guess.

On a terminal: a bar. Otherwise (CI logs, a pipe): a line every ``interval`` seconds,
and none on a run shorter than that. ``-q`` silences both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TextIO

from codemods.engine.reporting.words import plural

if TYPE_CHECKING:  # rich costs ~30 ms: imported once a bar has something to show
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

# Seconds between two lines when stderr is not a terminal.
LOG_INTERVAL = 10.0


class Progress(Protocol):
    def expect(self, files: int, phase: str) -> None:
        """A batch of ``files`` files starts, in ``phase`` ("scanning", ...)."""

    def advance(self, files: int = 1) -> None:
        """``files`` of them are done."""

    def skip(self, files: int = 1) -> None:
        """``files`` of them needed no work after all (a prefilter dropped them)."""

    def close(self) -> None:
        """The run is over (a bar disappears; a log says nothing more)."""


class Silent:
    def expect(self, files: int, phase: str) -> None:
        pass

    def advance(self, files: int = 1) -> None:
        pass

    def skip(self, files: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


SILENT = Silent()


class Counts:
    """The current batch: its phase, its files, and how many are done."""

    def __init__(self) -> None:
        self.total = self.done = 0
        self.phase = "scanning"

    def expect(self, files: int, phase: str) -> None:
        self.total, self.done, self.phase = files, 0, phase

    def advance(self, files: int = 1) -> None:
        self.done += files

    def skip(self, files: int = 1) -> None:
        self.total = max(self.done, self.total - files)


class Log(Counts):
    """A line every ``interval`` seconds of the run, on a stream that is not a terminal."""

    def __init__(
        self,
        stream: TextIO,
        *,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.stream, self.clock = stream, clock
        self.interval = LOG_INTERVAL if interval is None else interval
        self.started = clock()
        self.next_line = self.started + self.interval

    def expect(self, files: int, phase: str) -> None:
        super().expect(files, phase)
        self._tick()

    def advance(self, files: int = 1) -> None:
        super().advance(files)
        self._tick()

    def skip(self, files: int = 1) -> None:
        super().skip(files)
        self._tick()

    def close(self) -> None:
        pass

    def _tick(self) -> None:
        now = self.clock()
        if now < self.next_line:
            return
        # The next line comes a whole interval after this one, however late this is.
        self.next_line = now + self.interval
        elapsed = round(now - self.started)
        self.stream.write(
            f"codemods: {self.done} of {plural(self.total, 'file')} processed "
            f"({self.phase}), {elapsed} s elapsed\n"
        )
        self.stream.flush()


class Bar(Counts):
    """A bar on a terminal, shown once there is work and gone when the run ends."""

    def __init__(self, stream: TextIO, *, color: bool) -> None:
        super().__init__()
        self.stream, self.color = stream, color
        self.bar: RichProgress | None = None
        self.task: TaskID | None = None

    def expect(self, files: int, phase: str) -> None:
        super().expect(files, phase)
        if files == 0:
            return
        bar, task = self._shown()
        # A new batch: its own count, and its own time left.
        bar.reset(task, total=files, description=phase)

    def advance(self, files: int = 1) -> None:
        super().advance(files)
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done)

    def skip(self, files: int = 1) -> None:
        super().skip(files)
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, total=self.total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _shown(self) -> tuple[RichProgress, TaskID]:
        if self.bar is None or self.task is None:
            from rich.console import Console  # see the TYPE_CHECKING import
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(
                file=self.stream,
                force_terminal=True,
                no_color=not self.color,
                markup=False,
                highlight=False,
            )
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.phase, total=self.total)
        return self.bar, self.task


def for_stderr(stderr: TextIO, *, color: bool, quiet: bool) -> Progress:
    """The progress a run shows on ``stderr``: a bar on a terminal, else a log."""
    if quiet:
        return SILENT
    if stderr.isatty():
        return Bar(stderr, color=color)
    return Log(stderr)
