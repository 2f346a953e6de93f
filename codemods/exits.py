"""How a command ends when something outside its work stops it: Ctrl-C exits 130,
SIGTERM 143 (each after the files being written are removed: an interruption is an
exception, so every write's own cleanup runs), and an output stream that cannot be
written (closed, ``/dev/full``, a broken pipe) exits 3 with one line, never a
traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn

import click

from codemods.core.results import ExitCode

# A small run writes in a thread of this process (``engine/inline.py``), which an
# interruption of the main thread does not unwind: its temporary file is removed here.
from codemods.engine.writer import remove_temporaries

INTERRUPTED = 130  # 128 + SIGINT, as shells report it
TERMINATED = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so temporary files are removed."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


class Main(click.Group):
    """The ``codemods`` group, with the endings above for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
        try:
            return self._invoke(ctx)
        finally:
            signal.signal(
                signal.SIGTERM, previous
            )  # as it was (for in-process callers)

    def _invoke(self, ctx: click.Context) -> Any:
        if sys.stdout is None:
            _stop("error: stdout is closed", ExitCode.FILE_ERRORS)
        try:
            result = super().invoke(ctx)
        except KeyboardInterrupt:
            remove_temporaries()
            _stop("interrupted", INTERRUPTED)
        except Terminated:
            remove_temporaries()
            _stop("terminated", TERMINATED)
        except SystemExit:
            _flush_output()
            raise
        except OSError as exc:
            where = "" if exc.filename is None else f"{exc.filename}: "
            _stop(f"error: {where}{_reason(exc)}", ExitCode.FILE_ERRORS)
        _flush_output()
        return result


def _flush_output() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        _stop(f"error: stdout: {_reason(exc)}", ExitCode.FILE_ERRORS)


def _stop(message: str, code: int) -> NoReturn:
    _silence_stdout()
    try:
        sys.stderr.write(f"codemods: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it
    raise SystemExit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what could
    not be written raises nothing at exit."""
    if sys.stdout is None:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
