"""The one object that owns output: data on stdout, messages on stderr.

Colour only on a terminal and never when ``NO_COLOR`` is set; markup is off, so paths
and code print exactly as written. Rich is imported only for what needs it (colour,
progress bars, rendered tables): a warm run that prints plain lines does without it.
"""

from __future__ import annotations

import os
import sys
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich costs a warm run ~30 ms: imported when a console is used
    from rich.console import Console


class Terminal:
    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        *,
        color: bool | None = None,
    ) -> None:
        out = stdout or sys.stdout
        err = stderr or sys.stderr
        if color is None:
            color = "NO_COLOR" not in os.environ and out.isatty()
        self.color = color
        self.stdout, self.stderr = out, err
        # What rich would call a terminal (it is told, never left to guess).
        self.interactive = color and err.isatty()

    @cached_property
    def out(self) -> Console:
        return self._console(self.stdout, terminal=self.color)

    @cached_property
    def err(self) -> Console:
        """stderr as a rich console; ``interactive`` says whether a person watches it
        (for progress bars)."""
        return self._console(self.stderr, terminal=self.interactive)

    def _console(self, file: TextIO, *, terminal: bool) -> Console:
        from rich.console import Console  # see the TYPE_CHECKING import

        return Console(
            file=file,
            markup=False,
            highlight=False,
            emoji=False,
            no_color=not self.color,
            force_terminal=terminal,
            soft_wrap=True,
        )

    def data(self, text: str) -> None:
        """Machine-readable or primary output, verbatim, on stdout."""
        self.stdout.write(text)
        self.stdout.flush()

    def message(self, text: str, style: str | None = None) -> None:
        """A line for people on stderr, in ``style`` on a colour terminal."""
        if self.color:
            self.err.print(text, style=style)
        else:
            self.stderr.write(text + "\n")
            self.stderr.flush()
