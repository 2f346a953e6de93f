"""TG004: recognising the flush methods that drain a buffer.

A drain takes the whole batch (``batch = list(self.x)``, ``.copy()``, ``[:]``, the list
itself, or a swap) and empties the buffer. Two shapes:

- *early*: under the buffer's lock (``async with self.<lock>:``) the buffer is emptied
  right after the take; everything after that, in the block and after it, is its I/O;
- *late* (what real code often writes): the batch is taken (or the buffer itself passed
  to the write), then awaited, and only then the buffer is cleared or rebound, with or
  without a lock: whatever was appended during the write is lost. Its I/O is what
  stands between the take and the reset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.cst.find import is_empty_list, is_self, is_whole_slice, walk
from codemods.cst.qualified import QualifiedNamesOf
from codemods.rules.bounded_buffer.blocking import blocking_call

# Whether an expression makes a fresh empty buffer (``[]``, the declaration's deque).
IsFresh = Callable[[cst.BaseExpression], bool]


@dataclass(frozen=True)
class Drain:
    """``async with self.<lock>:`` ... ``batch = list(self.x)``; ``self.x.clear()`` ...:
    a flush method taking the whole buffer. What follows the reset is its I/O."""

    method: cst.FunctionDef
    # The `async with self.<lock>:` holding the take (None: a late drain without one).
    block: cst.With | None
    lock: str | None
    # None: a late drain passing the buffer itself to its write (the take is added).
    take: cst.SimpleStatementLine | None
    reset: cst.SimpleStatementLine
    batch: str
    # The copy in `take` (replaced by `list(<deque>)`), and where `take` splits in two.
    copied: cst.BaseExpression | None
    swap: bool
    io: tuple[cst.BaseStatement, ...]
    # Cleared only after the write (`io` stands between the take and `reset`).
    late: bool = False
    # A call in the flush that blocks the event loop (reported, never rewritten).
    blocking: cst.Call | None = None
    # A late drain's place: indices of the `with`/`try` statements, from the method's
    # body down, whose body holds it.
    path: tuple[int, ...] = ()


def find_drain(
    method: cst.FunctionDef, name: str, fresh: IsFresh, resolve: QualifiedNamesOf
) -> Drain | str | None:
    """The drain of buffer ``name`` in ``method``; a reason when it drains it in a way
    that cannot be restructured; None when ``method`` takes no batch out of it."""
    if method.asynchronous is None or not isinstance(method.body, cst.IndentedBlock):
        return None
    early = _early_drain(method, name, fresh, resolve)
    if early is not None:
        return early
    late = _late_drain(method, name, fresh, resolve)
    if late is not None:
        return late
    return _unlocked_drain(method, name, fresh, resolve)


def _early_drain(
    method: cst.FunctionDef, name: str, fresh: IsFresh, resolve: QualifiedNamesOf
) -> Drain | str | None:
    assert isinstance(method.body, cst.IndentedBlock)
    body = method.body.body
    for index, block in enumerate(body):
        lock = _held_lock(block)
        if lock is None or not isinstance(block, cst.With):
            continue
        assert isinstance(block.body, cst.IndentedBlock)
        taken = _taken(block.body.body, name, fresh)
        if taken is None:
            continue
        io = (*taken.rest, *body[index + 1 :])
        problem = _io_problem(io, method)
        if problem is not None:
            return problem
        blocking = blocking_call(taken.rest, resolve)
        return taken.drain(method, block, lock, io, blocking)
    return None


@dataclass(frozen=True)
class _Taken:
    """A take with the reset right after it (or a swap), and what follows them."""

    take: cst.SimpleStatementLine
    reset: cst.SimpleStatementLine
    batch: str
    copied: cst.BaseExpression
    swap: bool
    rest: tuple[cst.BaseStatement, ...]

    def drain(
        self,
        method: cst.FunctionDef,
        block: cst.With | None,
        lock: str | None,
        io: tuple[cst.BaseStatement, ...],
        blocking: cst.Call | None,
        path: tuple[int, ...] = (),
    ) -> Drain:
        return Drain(
            method,
            block,
            lock,
            self.take,
            self.reset,
            self.batch,
            self.copied,
            self.swap,
            io,
            blocking=blocking,
            path=path,
        )


def _taken(
    body: Sequence[cst.BaseStatement], name: str, fresh: IsFresh
) -> _Taken | None:
    """The first take of ``body`` when the buffer is emptied right with it."""
    for at, statement in enumerate(body):
        taken = _take(statement, name)
        if taken is None:
            continue
        batch, copied, form = taken
        swap = form == "swap"
        assert isinstance(statement, cst.SimpleStatementLine)
        reset = statement if swap else (body[at + 1] if at + 1 < len(body) else None)
        if not swap and not _is_reset(reset, name, fresh, alias=form == "alias"):
            return None
        assert isinstance(reset, cst.SimpleStatementLine)
        rest = tuple(body[at + (1 if swap else 2) :])
        return _Taken(statement, reset, batch, copied, swap, rest)
    return None


def _late_drain(
    method: cst.FunctionDef, name: str, fresh: IsFresh, resolve: QualifiedNamesOf
) -> Drain | str | None:
    """``batch = list(self.x)`` (or the buffer passed on as it is), a write, then
    ``self.x.clear()`` or ``self.x = []``: in the method's body, or in the body of a
    ``with`` or ``try`` there (two levels at most), an ``async with self.<lock>:``
    holding the lock."""
    assert isinstance(method.body, cst.IndentedBlock)
    for body, lock, path in _places(method.body.body, None, ()):
        reset_at = next(
            (i for i, s in enumerate(body) if _is_reset(s, name, fresh, alias=False)),
            None,
        )
        if reset_at is None:
            continue
        parts = _late_parts(body[:reset_at], name, resolve)
        if parts is None:
            continue
        taken_at, start = parts
        take, batch, copied = None, "batch", None
        if taken_at is not None:
            take = body[taken_at]
            taken = _take(take, name)
            assert taken is not None
            batch, copied = taken[0], taken[1]
        io = tuple(body[start:reset_at])
        reset = body[reset_at]
        assert isinstance(reset, cst.SimpleStatementLine)
        assert take is None or isinstance(take, cst.SimpleStatementLine)
        problem = _io_problem(io, method) if io else None
        if problem is not None:
            return problem
        blocking = blocking_call(io, resolve)
        return Drain(
            method,
            None,
            lock,
            take,
            reset,
            batch,
            copied,
            False,
            io,
            late=True,
            blocking=blocking,
            path=path,
        )
    return None


def _unlocked_drain(
    method: cst.FunctionDef, name: str, fresh: IsFresh, resolve: QualifiedNamesOf
) -> Drain | str | None:
    """The batch taken and the buffer emptied at once, with no lock, then written
    (everything after the reset, in the same block, is the write)."""
    assert isinstance(method.body, cst.IndentedBlock)
    for body, lock, path in _places(method.body.body, None, ()):
        taken = _taken(body, name, fresh) if lock is None else None
        if taken is None:
            continue
        if not any(_awaits_or_blocks(s, resolve) for s in taken.rest):
            return None
        problem = _io_problem(taken.rest, method)
        if problem is not None:
            return problem
        blocking = blocking_call(taken.rest, resolve)
        return taken.drain(method, None, None, taken.rest, blocking, path)
    return None


Place = tuple[Sequence[cst.BaseStatement], str | None, tuple[int, ...]]


def _places(
    body: Sequence[cst.BaseStatement], lock: str | None, path: tuple[int, ...]
) -> list[Place]:
    """``body``, then the bodies of its ``with`` and ``try`` statements, with the lock
    held there."""
    found: list[Place] = [(body, lock, path)]
    if len(path) == 2:
        return found
    for at, statement in enumerate(body):
        if isinstance(statement, (cst.With, cst.Try)) and isinstance(
            statement.body, cst.IndentedBlock
        ):
            held = _held_lock(statement) or lock
            found += _places(statement.body.body, held, (*path, at))
    return found


def _late_parts(
    body: Sequence[cst.BaseStatement], name: str, resolve: QualifiedNamesOf
) -> tuple[int | None, int] | None:
    """(where the take is, where the write starts) of a late drain in ``body`` (up to
    its reset): right after a copy of the buffer that a write follows, else at the
    first statement that awaits (or blocks) with the buffer itself."""
    for at, statement in enumerate(body):
        taken = _take(statement, name)
        if taken is not None and taken[2] == "copy":
            if any(_awaits_or_blocks(s, resolve) for s in body[at + 1 :]):
                return at, at + 1
            return None
        if _awaits_or_blocks(statement, resolve) and _passes(statement, name):
            return None, at
    return None


def _passes(statement: cst.CSTNode, name: str) -> bool:
    """Whether ``statement`` passes ``self.<name>`` to a call (a write), as an
    argument or inside one (``"".join(self.x)``, ``list(self.x)``); iterating over
    it (``for e in self.x: await e.stop()``) is not writing it."""
    return any(
        any(isinstance(a, cst.Arg) for a in ancestors)
        for _, ancestors in walk(statement, lambda n: is_self(n, name))  # type: ignore[arg-type]
    )


def _awaits_or_blocks(statement: cst.CSTNode, resolve: QualifiedNamesOf) -> bool:
    awaits = walk(statement, lambda n: isinstance(n, cst.Await))
    outside = [
        a
        for a, ancestors in awaits
        if not any(isinstance(p, (cst.FunctionDef, cst.Lambda)) for p in ancestors)
    ]
    return bool(outside) or blocking_call([statement], resolve) is not None


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


def _is_reset(
    statement: cst.BaseStatement | None, name: str, fresh: IsFresh, *, alias: bool
) -> bool:
    """``self.<name>.clear()`` (not after ``batch = self.<name>``), or
    ``self.<name> = []`` (or a fresh deque like the declared one)."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return is_self(small.targets[0].target, name) and fresh(small.value)
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
