"""The one object that owns output: data on stdout, messages on stderr.

Colour only on a terminal and never when ``NO_COLOR`` is set; markup is off, so paths
and code print exactly as written.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

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
        self.out = Console(
            file=out,
            markup=False,
            highlight=False,
            emoji=False,
            no_color=not color,
            force_terminal=color,
            soft_wrap=True,
        )
        self.err = Console(
            file=err,
            markup=False,
            highlight=False,
            emoji=False,
            no_color=not color,
            force_terminal=color and err.isatty(),
            soft_wrap=True,
        )

    @property
    def interactive(self) -> bool:
        """Whether stderr is a terminal a person watches (for progress bars)."""
        return self.err.is_terminal

    def data(self, text: str) -> None:
        """Machine-readable or primary output, verbatim, on stdout."""
        self.out.file.write(text)
        self.out.file.flush()

    def message(self, text: str, style: str | None = None) -> None:
        self.err.print(text, style=style)
