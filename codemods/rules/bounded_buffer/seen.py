"""TG004: what it saw of a buffer (the words its findings use), and what follows from
it: whether appends can wait for room, what rebinding empties the buffer, whether a
flush it does not recognise races with the appends."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.find import is_empty_list, is_self, walk
from codemods.rules.bounded_buffer.blocking import blocking_problem
from codemods.rules.bounded_buffer.drains import IsFresh
from codemods.rules.bounded_buffer.uses import ALIAS, APPEND, COPY, RESET, Buffer, Use


def raced(own: list[Use], line: Callable[[cst.CSTNode], int]) -> bool:
    """Whether a method copies the buffer, then awaits, then empties it (by line): a
    flush with the race TG004 does not recognise the shape of. A copy written out
    and emptied before any await is no such flush."""
    for use in own:
        method = use.method
        if use.kind not in (COPY, ALIAS) or method is None:
            continue
        resets = [line(u.node) for u in own if u.kind == RESET and u.method is method]
        awaits = [line(a) for a, _ in walk(method, lambda n: isinstance(n, cst.Await))]
        copied = line(use.node)
        if any(copied <= a < r for a in awaits for r in resets):
            return True
    return False


def readable_anywhere(expression: cst.BaseExpression) -> bool:
    """A number, or ``self.a.b``: what every method can read as ``__init__`` did."""
    if isinstance(expression, cst.Integer):
        return True
    while isinstance(expression, cst.Attribute):
        if is_self(expression):
            return True
        expression = expression.value
    return False


def fresh(buffer: Buffer) -> IsFresh:
    """What rebinding the buffer to empties it: ``[]``, or a deque like the declared
    one (same constructor, same ``maxlen``)."""
    constructor = buffer.constructor
    if constructor is None:
        return is_empty_list
    declared = code_of(constructor)
    return lambda value: isinstance(value, cst.Call) and code_of(value) == declared


def why_no_wait(buffer: Buffer, own: list[Use], locks: list[str]) -> str:
    """Why appends cannot wait for room ("" when they can: every drain takes its batch
    under the one lock the appends are made under, in async methods)."""
    if any(d.lock is None for d in buffer.drains) or not locks:
        return "its flush holds no lock"
    if not all(
        u.direct
        and locks[0] in u.held
        and u.method is not None
        and u.method.asynchronous is not None
        and u.statement is not None
        for u in own
        if u.kind == APPEND
    ):
        return f"some appends are synchronous or outside `async with self.{locks[0]}:`"
    if any(d.late for d in buffer.drains):
        return "its flush writes under the lock"
    return ""


def seen_problems(buffer: Buffer, line: Callable[[cst.CSTNode], int]) -> list[str]:
    """Problems of the drains themselves: blocking I/O is reported, not rewritten."""
    return [
        blocking_problem(d.blocking, d.lock, line(d.blocking))
        for d in buffer.drains
        if d.blocking is not None
    ]


def shapes(buffer: Buffer) -> str:
    """What TG004 saw of the buffer, in the words its findings use."""
    seen = []
    if buffer.constructor is not None:
        bound = "" if buffer.capacity is None else "(maxlen=...)"
        seen.append(f"already a `deque{bound}`, which drops silently when full")
    for drain in buffer.drains:
        method = drain.method.name.value
        if not drain.late:
            continue
        reset = "rebinds" if isinstance(drain.reset.body[0], cst.Assign) else "clears"
        where = (
            f"under `self.{drain.lock}`" if drain.lock is not None else "without a lock"
        )
        taken = (
            "writes a snapshot"
            if drain.take is not None
            else "writes the buffer itself"
        )
        lost = ""
        if drain.blocking is None and exposed(buffer, drain.lock):
            lost = ": entries appended during the write are lost"
        seen.append(f"`{method}()` {taken} {where}, then {reset} it{lost}")
    return "; ".join(seen)


def exposed(buffer: Buffer, lock: str | None) -> bool:
    """Whether an append can run while a flush holding ``lock`` awaits."""
    appends = [u for u in buffer.uses if u.kind == APPEND]
    return lock is None or any(lock not in u.held or not u.direct for u in appends)
