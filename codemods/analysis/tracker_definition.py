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

from codemods.cst.build import code_of
from codemods.cst.find import is_docstring
from codemods.cst.names import identifiers


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


def _only(statement: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The one small statement of a line that holds one."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _receiver(node: cst.BaseExpression | None, attribute: str) -> str | None:
    """``tasks`` for ``tasks.<attribute>``."""
    if (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.attr.value == attribute
    ):
        return node.value.value
    return None


def _kept_in(statement: cst.CSTNode) -> str | None:
    """``tasks`` for ``tasks.add(task)``."""
    expression = _only(statement)
    if not isinstance(expression, cst.Expr) or not isinstance(
        expression.value, cst.Call
    ):
        return None
    return _receiver(expression.value.func, "add")


def _plain(statement: cst.CSTNode, forwarded: set[str]) -> bool:
    """The spawn (forwarding only the tracker's own parameters), the discard callback
    or the return of the task."""
    small = _only(statement)
    if isinstance(small, cst.Return):
        return isinstance(small.value, cst.Name)
    if isinstance(small, cst.Expr):
        discard = small.value
        return (
            isinstance(discard, cst.Call)
            and _receiver(discard.func, "add_done_callback") is not None
            and len(discard.args) == 1
            and _receiver(discard.args[0].value, "discard") is not None
        )
    if not (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
    ):
        return False
    call = small.value
    if not isinstance(call, cst.Call):
        return False
    func = call.func
    spawned = func.attr if isinstance(func, cst.Attribute) else func
    if not (isinstance(spawned, cst.Name) and spawned.value == "create_task"):
        return False
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
