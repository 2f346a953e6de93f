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
from collections.abc import Callable
from typing import NoReturn, TypeVar

from codemods.core.results import ExitCode

INTERRUPTED = 130  # 128 + SIGINT, as shells report it
TERMINATED = 143  # 128 + SIGTERM
T = TypeVar("T")


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so temporary files are removed."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def ended(call: Callable[[], T]) -> T:
    """``call()`` (a command), with the endings above: the click group's (``cli.Main``)
    and the entry's that answers ``check`` without click (``entry.py``)."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return _ended(call)
    finally:
        signal.signal(signal.SIGTERM, previous)  # as it was (for in-process callers)


def _ended(call: Callable[[], T]) -> T:
    if sys.stdout is None:
        _stop("error: stdout is closed", ExitCode.FILE_ERRORS)
    try:
        result = call()
    except KeyboardInterrupt:
        _remove_temporaries()
        _stop("interrupted", INTERRUPTED)
    except Terminated:
        _remove_temporaries()
        _stop("terminated", TERMINATED)
    except SystemExit:
        _flush_output()
        raise
    except OSError as exc:
        where = "" if exc.filename is None else f"{exc.filename}: "
        _stop(f"error: {where}{_reason(exc)}", ExitCode.FILE_ERRORS)
    _flush_output()
    return result


def _remove_temporaries() -> None:
    """A small run writes in a thread of this process (``engine/inline.py``), which an
    interruption of the main thread does not unwind: its temporary file is removed
    here. A run that never imported the writer has none (a warm check imports none)."""
    writer = sys.modules.get("codemods.engine.writer")
    if writer is not None:
        writer.remove_temporaries()


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
