"""The one object that owns output: data on stdout, messages on stderr.

Colour as ``--color`` says (``color``); by default on a terminal, never when
``NO_COLOR`` is set, always when ``FORCE_COLOR`` is (https://no-color.org,
https://force-color.org); markup is off, so paths and code print exactly as written.
Rich is imported only for what needs it (colour, progress bars, rendered tables): a
warm run that prints plain lines does without it.
"""

from __future__ import annotations

import os
import sys
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich costs a warm run ~30 ms: imported when a console is used
    from rich.console import Console


# C0 controls but the newline, DEL and C1 controls: a file name holding one must not
# move the cursor, retitle the window or recolour the terminal of whoever reads it.
_CONTROLS = {
    code: f"\\x{code:02x}"
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
    if code != ord("\n")
}


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``)."""
    return text.translate(_CONTROLS)


def default_color(out: TextIO) -> bool:
    """``--color auto``: NO_COLOR wins, then FORCE_COLOR, then whether ``out`` is a
    terminal (an empty variable counts as unset)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return out.isatty()


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
            color = default_color(out)
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
        return self._console(self.stderr, terminal=self.color)

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
        """A line for people on stderr, in ``style`` on a colour terminal; control
        characters (from file names) are shown escaped, never sent."""
        text = printable(text)
        if self.color:
            self.err.print(text, style=style)
        else:
            self.stderr.write(text + "\n")
            self.stderr.flush()
