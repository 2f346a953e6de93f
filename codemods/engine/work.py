"""What a pool runs, in a worker process or in this one: the work function, made from
a payload, called as ``work(*item)`` for each file, in a thread with a big stack."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any

# (path, shown path) for each file of a chunk, optionally with a task for the work
# function (the runner's phases); the work function is called as ``work(*item)``.
Item = tuple[Any, ...]
Work = Callable[..., Any]
# Makes the work function of a worker from the payload: a callable, or the
# ``"module:name"`` of one, imported where the work is done only.
MakeWork = Callable[[Any], Work] | str

# LibCST recurses once per nesting level.
STACK_SIZE = 512 * 1024 * 1024
RECURSION_LIMIT = 20_000


def big_stack_thread(target: Callable[[], None], name: str) -> threading.Thread:
    """``target`` started in a daemon thread with the stack and recursion limit the
    work needs, in a worker process or in this one (the stack size set for new
    threads is put back after)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    previous = threading.stack_size(STACK_SIZE)
    try:
        thread = threading.Thread(target=target, daemon=True, name=name)
        thread.start()
    finally:
        threading.stack_size(previous)
    return thread


def work_of(make_work: MakeWork, payload: Any) -> Work:
    """The work function ``make_work`` makes of ``payload`` (imported if named)."""
    if isinstance(make_work, str):
        module, _, name = make_work.partition(":")
        made: Work = getattr(importlib.import_module(module), name)(payload)
        return made
    return make_work(payload)
