"""TG004's decisions: whether a buffer can become a bounded deque, and what changes.

:func:`plan` turns the analysis of :mod:`_buffer_uses` into a :class:`Plan`: either the
reasons it cannot (a non-fixable finding), or every node to rewrite and the code to add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.find import is_self, walk
from codemods.cst.qualified import QualifiedNamesOf
from codemods.rules.bounded_buffer.code import BufferCode
from codemods.rules.bounded_buffer.drains import Drain, find_drain
from codemods.rules.bounded_buffer.names import buffer_names
from codemods.rules.bounded_buffer.options import (
    assigned,
    class_names,
    expressions,
    is_lock,
)
from codemods.rules.bounded_buffer.seen import (
    fresh,
    raced,
    readable_anywhere,
    seen_problems,
    why_no_wait,
)
from codemods.rules.bounded_buffer.uses import (
    ALIAS,
    APPEND,
    COMPARE,
    COPY,
    OTHER,
    READ,
    RESET,
    Buffer,
    Use,
    classify,
)

ALIAS_USES = frozenset({READ, COPY, COMPARE})


@dataclass(frozen=True)
class Context:
    """What the plan needs besides the class: options, module names, layout."""

    options: dict[str, str]
    modules: dict[str, str]
    logger: str
    line_length: int
    resolve: QualifiedNamesOf
    line_of: Callable[[cst.CSTNode], int]
    column_of: Callable[[cst.CSTNode], int]
    levels_of: Callable[[cst.CSTNode], int]


@dataclass
class Plan:
    buffer: Buffer
    problems: list[str] = field(default_factory=list)
    code: BufferCode | None = None
    appends: list[cst.SimpleStatementLine] = field(default_factory=list)
    to_deque: list[cst.Attribute] = field(default_factory=list)
    to_list: list[cst.BaseExpression] = field(default_factory=list)
    # `self.x` in the write of a late drain: it reads the batch taken before it.
    to_batch: dict[cst.Attribute, str] = field(default_factory=dict)
    # Why appends cannot wait for room ("": they can).
    no_wait: str = ""


def plan(
    buffer: Buffer,
    node: cst.ClassDef,
    init: cst.FunctionDef,
    context: Context,
    claimed: set[str],
) -> Plan | None:
    """The plan for ``buffer`` of class ``node``; None when it is no buffer at all.

    ``claimed`` holds the names the plans of other buffers of the class generate; this
    one's are added to it.
    """
    own = [
        u
        for u in buffer.uses
        if u.method is not None and u.statement is not buffer.declaration
    ]
    result = Plan(buffer)
    problems = result.problems
    methods = [s for s in node.body.body if isinstance(s, cst.FunctionDef)]
    for method in methods:
        found = find_drain(method, buffer.name, fresh(buffer), context.resolve)
        if isinstance(found, str):
            problems.append(found)
        elif found is not None:
            buffer.drains.append(found)
    if not any(u.kind == APPEND for u in own):
        return None
    if not (problems or buffer.drains):
        if not raced(own, context.line_of):
            # Nothing takes a batch out of it (a list of listeners...): no buffer.
            return None
        problems.append(
            "no flush takes its batch out in a shape TG004 knows (taken and cleared "
            f"under `async with self.<lock>:`, or `batch = list(self.{buffer.name})`"
            ", the awaited write, then a clear or `[]`, in one block)"
        )
    line = context.line_of
    if buffer.element is None:
        problems.append(
            f"annotate it as `{buffer.container}[T]` (line {line(buffer.declaration)})"
        )
    problems.extend(seen_problems(buffer, context.line_of))
    locks = sorted({d.lock for d in buffer.drains if d.lock is not None})
    result.no_wait = why_no_wait(buffer, own, locks)
    waiting = not result.no_wait
    if len(locks) > 1:
        problems.append(f"its flush methods hold different locks ({', '.join(locks)})")
    before = assigned(init, buffer.declaration)
    if waiting and not is_lock(init, locks[0], buffer.declaration, context.resolve):
        problems.append(
            f"`__init__` must create `self.{locks[0]} = asyncio.Lock()` before it"
        )
    options = expressions(
        context.options, init, before, problems, buffer.capacity, waiting=waiting
    )
    if buffer.name in class_names(node):
        problems.append(f"the class body also binds `{buffer.name}`")
    if problems or buffer.element is None or len(locks) > 1:
        return result
    lock = locks[0] if locks else ""
    taken = set(class_names(node)) | {
        attribute.attr.value  # type: ignore[attr-defined]
        for attribute, _ in walk(
            node, lambda n: isinstance(n, cst.Attribute) and is_self(n)
        )
    }
    taken.discard(buffer.name)
    names = buffer_names(buffer.name, taken | claimed)
    claimed.update(vars(names).values())
    maxlen = _given(options, "maxlen")
    capacity = None
    if buffer.capacity is not None and not readable_anywhere(buffer.capacity):
        # `deque(maxlen=capacity)` of a parameter: the methods need it too.
        capacity, maxlen = maxlen, f"self.{names.capacity}"
    result.code = BufferCode(
        names=names,
        owner=node.name.value,
        element=code_of(buffer.element),
        lock=lock,
        asyncio=context.modules["asyncio"],
        collections=context.modules["collections"],
        time=context.modules["time"],
        logger=context.logger,
        column=context.column_of(init),
        levels=context.levels_of(init),
        line_length=context.line_length,
        maxlen=maxlen,
        wait_timeout=_given(options, "wait_timeout"),
        warning_interval=_given(options, "warning_interval"),
        flush_event=options["flush_event"],
        wake_at=options["wake_at"],
        counting=not waiting,
        container="" if buffer.constructor is None else buffer.container,
        constructor=""
        if buffer.constructor is None
        else code_of(buffer.constructor.func),
        capacity=capacity,
    )
    drained = {id(s) for d in buffer.drains for s in (d.take, d.reset) if s is not None}
    written = {
        id(n): d.batch
        for d in buffer.drains
        if d.late
        for statement in d.io
        for n, _ in walk(statement, lambda n: is_self(n, buffer.name))  # type: ignore[arg-type]
    }
    # The I/O of a flush leaves the lock: what it reads is no longer under it.
    moved = {
        id(line)
        for d in buffer.drains
        for statement in d.io
        for line, _ in walk(statement, lambda n: isinstance(n, cst.SimpleStatementLine))
    }
    for use in own:
        if id(use.node) in written:
            _in_write(use, written[id(use.node)], result, context)
        elif id(use.statement) not in drained:
            _decide(use, lock, id(use.statement) not in moved, result, context)
    for use in buffer.uses:
        if use.method is None:
            _foreign(use, result, context)
    for drain in buffer.drains:
        _take(drain, result)
    if problems:
        result.code = None
    return result


def _given(options: dict[str, str | None], key: str) -> str:
    value = options[key]
    assert value is not None
    return value


def _decide(use: Use, lock: str, stays: bool, result: Plan, context: Context) -> None:
    """Record what happens to one ``self.<name>`` in a method of the class (``stays``:
    under the lock after the rewrite, if it is now)."""
    code = result.code
    assert code is not None
    where = f"{use.what} (line {context.line_of(use.node)})"
    locked = use.direct and lock in use.held and stays
    public = code.names.public
    method = use.method
    assert method is not None
    if use.kind == APPEND:
        if code.counting and use.direct and use.statement is not None:
            result.appends.append(use.statement)
        elif locked and method.asynchronous is not None and use.statement is not None:
            result.appends.append(use.statement)
        else:
            result.problems.append(
                f"appended to outside `async with self.{lock}:` in an async method "
                f"(line {context.line_of(use.node)})"
            )
    elif code.counting and use.kind in (READ, COPY) and use.direct:
        if use.container is None:
            result.to_deque.append(use.node)
        else:
            result.to_list.append(use.container)
    elif use.kind == RESET:
        result.problems.append(
            f"cleared outside a flush method (line {context.line_of(use.node)})"
        )
    elif use.kind == READ:
        if locked:
            result.to_deque.append(use.node)
    elif use.kind == COPY:
        if locked or not public:
            if use.container is None:
                result.to_deque.append(use.node)
            else:
                result.to_list.append(use.container)
    elif use.kind == COMPARE and not locked and public:
        pass
    elif use.kind == ALIAS and not locked and public and use.direct:
        problem = _alias_problem(use, method, context)
        if problem is not None:
            result.problems.append(problem)
    else:
        result.problems.append(where)


def _foreign(use: Use, result: Plan, context: Context) -> None:
    """Code outside the class's methods may read the list it now gets, not change it."""
    code = result.code
    assert code is not None
    readable = {READ, COPY, ALIAS, COMPARE, OTHER} if code.names.public else {READ}
    if use.kind not in readable:
        line = context.line_of(use.node)
        result.problems.append(
            f"{use.what} from outside the class's methods (line {line})"
        )


def _in_write(use: Use, batch: str, result: Plan, context: Context) -> None:
    """The buffer read while a late drain writes is the batch it took."""
    if use.direct and use.kind in (READ, COPY, OTHER):
        result.to_batch[use.node] = batch
    else:
        line = context.line_of(use.node)
        result.problems.append(f"{use.what} while its flush writes (line {line})")


def _take(drain: Drain, result: Plan) -> None:
    copied = drain.copied
    if copied is None:
        return
    if isinstance(copied, cst.Call) and isinstance(copied.func, cst.Name):
        argument = copied.args[0].value
        assert isinstance(argument, cst.Attribute)
        result.to_deque.append(argument)  # list(self.x) -> list(self._x)
    else:
        result.to_list.append(copied)


def _alias_problem(use: Use, method: cst.FunctionDef, context: Context) -> str | None:
    """A local bound to the buffer may only be read: it now holds a copy."""
    assert use.statement is not None
    small = use.statement.body[0]
    assert isinstance(small, (cst.Assign, cst.AnnAssign))
    target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
    assert isinstance(target, cst.Name)
    alias = target.value
    for name, ancestors in walk(
        method, lambda n: isinstance(n, cst.Name) and n.value == alias
    ):
        parent = ancestors[-1]
        if name is target or _binds(name, parent):
            continue
        assert isinstance(name, cst.Name)
        kind, what = classify(name, ancestors)
        if kind not in ALIAS_USES:
            return (
                f"bound to `{alias}` (line {context.line_of(use.node)}), which is then "
                f"{what} (line {context.line_of(name)})"
            )
    return None


def _binds(name: cst.CSTNode, parent: cst.CSTNode) -> bool:
    """``name`` is not a read of the variable: an attribute, keyword, target..."""
    if isinstance(parent, cst.Attribute):
        return parent.attr is name
    if isinstance(parent, cst.Arg):
        return parent.keyword is name
    if isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.For, cst.CompFor)):
        return getattr(parent, "target", None) is name
    return isinstance(parent, (cst.Param, cst.FunctionDef, cst.ClassDef))
