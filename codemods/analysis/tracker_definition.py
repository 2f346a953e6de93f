"""What the legacy tracker's own definition does beyond keeping a strong reference,
collected with the facts of the module defining it (see ``trackers.py``, which the
project index asks).

A *plain* tracker is exactly: ``task = asyncio.create_task(coro)`` (forwarding its own
``name``/``context`` parameters, if any), ``tasks.add(task)``,
``task.add_done_callback(tasks.discard)``, ``return task``. Anything else it does
(names or counts its tasks, logs, adds other callbacks) is an *extra*, and so is every
other function of its module that reads the tasks it keeps (``cancel_all_tasks()``).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m

from codemods.cst.build import code_of
from codemods.cst.find import is_docstring
from codemods.cst.names import identifiers

_NAME = m.Name()


def tracker_extras(
    function: cst.FunctionDef, module_body: Sequence[cst.CSTNode]
) -> tuple[str, ...]:
    """What tracker ``function`` does beyond keeping a strong reference, as code
    (``task.add_done_callback(_finished)``), and the functions of its module
    (``module_body``) that read the tasks it keeps (``cancel_all_tasks()``)."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    forwarded = {p.name.value for p in function.params.kwonly_params} | {
        p.name.value for p in function.params.params[1:]
    }
    extras: list[str] = []
    keeper: str | None = None
    for index, statement in enumerate(body):
        if index == 0 and is_docstring(statement):
            continue
        kept = _kept_in(statement)
        if kept is not None:
            keeper = keeper or kept
        elif not _plain(statement, forwarded):
            extras.append(f"`{_first_line(statement)}`")
    readers = [
        other.name.value
        for other in module_body
        if keeper is not None
        and isinstance(other, cst.FunctionDef)
        and other is not function
        and keeper in identifiers(other)
    ]
    # The public ones say most (`cancel_all_tasks()`): they come first.
    readers.sort(key=lambda name: name.startswith("_"))
    if readers:
        shown = ", ".join(f"`{name}()`" for name in readers)
        extras.insert(0, f"its module's {shown} read `{keeper}`")
    return tuple(extras)


def _kept_in(statement: cst.CSTNode) -> str | None:
    """``tasks`` for ``tasks.add(task)``."""
    call = m.SimpleStatementLine(
        body=[m.Expr(m.Call(func=m.Attribute(value=_NAME, attr=m.Name("add"))))]
    )
    if not m.matches(statement, call):
        return None
    assert isinstance(statement, cst.SimpleStatementLine)
    expression = statement.body[0]
    assert isinstance(expression, cst.Expr) and isinstance(expression.value, cst.Call)
    func = expression.value.func
    assert isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
    return func.value.value


def _plain(statement: cst.CSTNode, forwarded: set[str]) -> bool:
    """The spawn (forwarding only the tracker's own parameters), the discard callback
    or the return of the task."""
    if m.matches(statement, m.SimpleStatementLine(body=[m.Return(_NAME)])):
        return True
    discard = m.Call(
        func=m.Attribute(value=_NAME, attr=m.Name("add_done_callback")),
        args=[m.Arg(m.Attribute(value=_NAME, attr=m.Name("discard")))],
    )
    if m.matches(statement, m.SimpleStatementLine(body=[m.Expr(discard)])):
        return True
    spawn = m.Call(func=m.Attribute(attr=m.Name("create_task")) | m.Name("create_task"))
    if not m.matches(
        statement,
        m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(_NAME)])]),
    ):
        return False
    assert isinstance(statement, cst.SimpleStatementLine)
    value = statement.body[0]
    assert isinstance(value, cst.Assign)
    call = value.value
    if not m.matches(call, spawn):
        return False
    assert isinstance(call, cst.Call)
    return all(
        arg.keyword is None
        or (
            isinstance(arg.value, cst.Name)
            and arg.value.value in forwarded
            and arg.keyword.value == arg.value.value
        )
        for arg in call.args
    )


def _first_line(statement: cst.CSTNode) -> str:
    return code_of(statement).strip().splitlines()[0].rstrip(":")
