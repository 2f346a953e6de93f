"""TG004: recognising the flush methods that drain a buffer.

A drain holds the buffer's lock (``async with self.<lock>:``), takes the whole batch
(``batch = list(self.x)``, ``.copy()``, ``[:]``, the list itself, or a swap) and empties
the buffer right after; everything after that, in the block and after it, is its I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.cst.find import is_empty_list, is_self, is_whole_slice, walk


@dataclass(frozen=True)
class Drain:
    """``async with self.<lock>:`` ... ``batch = list(self.x)``; ``self.x.clear()`` ...:
    a flush method taking the whole buffer. What follows the reset is its I/O."""

    method: cst.FunctionDef
    block: cst.With
    lock: str
    take: cst.SimpleStatementLine
    reset: cst.SimpleStatementLine
    batch: str
    # The copy in `take` (replaced by `list(<deque>)`), and where `take` splits in two.
    copied: cst.BaseExpression
    swap: bool
    io: tuple[cst.BaseStatement, ...]


def find_drain(method: cst.FunctionDef, name: str) -> Drain | str | None:
    """The drain of buffer ``name`` in ``method``; a reason when it drains it in a way
    that cannot be restructured; None when ``method`` takes no batch out of it."""
    if method.asynchronous is None or not isinstance(method.body, cst.IndentedBlock):
        return None
    body = method.body.body
    for index, block in enumerate(body):
        lock = _held_lock(block)
        if lock is None or not isinstance(block, cst.With):
            continue
        assert isinstance(block.body, cst.IndentedBlock)
        inner = block.body.body
        for at, statement in enumerate(inner):
            taken = _take(statement, name)
            if taken is None:
                continue
            batch, copied, form = taken
            swap = form == "swap"
            assert isinstance(statement, cst.SimpleStatementLine)
            if swap:
                reset = statement
            else:
                following = inner[at + 1] if at + 1 < len(inner) else None
                if not _is_reset(following, name, alias=form == "alias"):
                    return None
                assert isinstance(following, cst.SimpleStatementLine)
                reset = following
            rest = inner[at + (1 if swap else 2) :]
            io = (*rest, *body[index + 1 :])
            problem = _io_problem(io, method)
            if problem is not None:
                return problem
            return Drain(method, block, lock, statement, reset, batch, copied, swap, io)
    return None


def _held_lock(statement: cst.BaseStatement) -> str | None:
    if not isinstance(statement, cst.With) or statement.asynchronous is None:
        return None
    if len(statement.items) != 1 or statement.items[0].asname is not None:
        return None
    item = statement.items[0].item
    if not is_self(item) or not isinstance(statement.body, cst.IndentedBlock):
        return None
    assert isinstance(item, cst.Attribute)
    return item.attr.value


def _value(statement: cst.BaseStatement) -> cst.BaseExpression | None:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.value
    if isinstance(small, cst.AnnAssign):
        return small.value
    return None


def _take(
    statement: cst.BaseStatement, name: str
) -> tuple[str, cst.BaseExpression, str] | None:
    """(batch, the expression taken, form) for ``batch = list(self.<name>)`` and the
    like (form ``copy``), ``batch = self.<name>`` (``alias``), or
    ``batch, self.<name> = self.<name>, []`` (``swap``)."""
    value = _value(statement)
    if value is None:
        return None
    assert isinstance(statement, cst.SimpleStatementLine)
    small = statement.body[0]
    assert isinstance(small, (cst.Assign, cst.AnnAssign))
    target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
    if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple):
        names = [e.value for e in target.elements]
        values = [e.value for e in value.elements]
        if (
            len(names) == 2 == len(values)
            and isinstance(names[0], cst.Name)
            and is_self(names[1], name)
            and is_self(values[0], name)
            and is_empty_list(values[1])
        ):
            return names[0].value, values[0], "swap"
        return None
    if not isinstance(target, cst.Name):
        return None
    if is_self(value, name):
        return target.value, value, "alias"
    if _copy_of(value, name):
        return target.value, value, "copy"
    return None


def _copy_of(value: cst.BaseExpression, name: str) -> bool:
    """``list(self.<name>)``, ``self.<name>.copy()`` or ``self.<name>[:]``."""
    if isinstance(value, cst.Call):
        func = value.func
        if isinstance(func, cst.Name) and func.value == "list" and len(value.args) == 1:
            return value.args[0].keyword is None and is_self(value.args[0].value, name)
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "copy"
            and not value.args
            and is_self(func.value, name)
        )
    if isinstance(value, cst.Subscript) and is_self(value.value, name):
        return is_whole_slice(value)
    return False


def _is_reset(statement: cst.BaseStatement | None, name: str, *, alias: bool) -> bool:
    """``self.<name>.clear()`` (not after ``batch = self.<name>``), or
    ``self.<name> = []``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return is_self(small.targets[0].target, name) and is_empty_list(small.value)
    if (
        alias
        or not isinstance(small, cst.Expr)
        or not isinstance(small.value, cst.Call)
    ):
        return False
    call = small.value
    return (
        isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "clear"
        and not call.args
        and is_self(call.func.value, name)
    )


def _io_problem(io: Sequence[cst.BaseStatement], method: cst.FunctionDef) -> str | None:
    if not io:
        return f"`{method.name.value}()` takes the batch but writes nothing after"
    for statement in io:
        exits = walk(statement, lambda n: isinstance(n, (cst.Return, cst.Yield)))
        if any(
            not any(isinstance(a, (cst.FunctionDef, cst.Lambda)) for a in ancestors)
            for _, ancestors in exits
        ):
            return (
                f"`{method.name.value}()` returns or yields while writing its batch, "
                "so its outcome is unclear"
            )
    return None
