"""The fallback of a tracker call when the TaskGroup is optional, and what TG001 says
about it, by what the tracker's own definition does (``analysis/trackers.py``).

- A plain tracker only keeps a strong reference: the fallback is a strongly referenced
  ``asyncio.create_task()`` and the tracker's import goes (``spawn_code``).
- A tracker that does more (names, counts or logs its tasks, or its module cancels
  them at shutdown) is called again, with the same arguments, where no TaskGroup is
  passed: the statement is written twice, under ``if tg is None:`` as it was, and
  under ``else:`` with ``tg.create_task()``. Paths that no root reaches yet behave as
  before; the tracker's module stays until nothing uses it.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.cst.build import code_of, parse_statement, spawn_call
from codemods.cst.scopes import Frame
from codemods.cst.spawn_code import Layout
from codemods.cst.walk import visit


def explained(
    spelled: str, group: str, extras: tuple[str, ...] | None, *, rich: bool
) -> str:
    """The finding of a tracker call falling back when ``group`` is None."""
    head = f"replace `{spelled}()` with `{group}.create_task()`"
    if rich:
        shown = "; ".join((extras or ())[:3]) + (
            "; ..." if extras is not None and len(extras) > 3 else ""
        )
        return (
            f"{head}, calling `{spelled}()` as before when `{group}` is None: the "
            f"tracker does more than keep a strong reference ({shown}), which paths "
            f"passing no TaskGroup keep; tasks spawned into `{group}` are no longer "
            "seen by the tracker"
        )
    fallback = (
        f"{head}, falling back to a strongly referenced `asyncio.create_task()` "
        f"when `{group}` is None"
    )
    if extras is None:
        return (
            f"{fallback} (the tracker's definition is not in this run: were it to do "
            "more than keep a reference, run on the whole project to keep it)"
        )
    return f"{fallback} (the tracker only keeps a strong reference)"


def both_ways(
    statement: cst.SimpleStatementLine,
    calls: Sequence[cst.Call],
    group: str,
    layout: Layout,
) -> cst.BaseStatement:
    """``if group is None: <statement> else: <statement with group.create_task>``,
    where ``calls`` are the tracker calls of ``statement`` (as it now is), which
    starts at ``layout.column``."""
    spawning = visit(statement.with_changes(leading_lines=()), _Spawning(calls, group))
    assert isinstance(spawning, cst.SimpleStatementLine)
    module = layout.module
    template = parse_statement(
        f"if {group} is None:\n    pass\nelse:\n    pass\n", module
    )
    assert isinstance(template, cst.If) and isinstance(template.orelse, cst.Else)
    assert isinstance(template.body, cst.IndentedBlock)
    assert isinstance(template.orelse.body, cst.IndentedBlock)
    tracking = _fitted(statement.with_changes(leading_lines=()), layout)
    spawning = _fitted(spawning, layout)
    return template.with_changes(
        leading_lines=statement.leading_lines,
        body=template.body.with_changes(body=[tracking]),
        orelse=template.orelse.with_changes(
            body=template.orelse.body.with_changes(body=[spawning])
        ),
    )


class _Spawning(cst.CSTTransformer):
    """The tracker ``calls`` (by identity) as ``group.create_task`` calls."""

    def __init__(self, calls: Sequence[cst.Call], group: str) -> None:
        super().__init__()
        self.calls = {id(call) for call in calls}
        self.spawner = cst.Attribute(cst.Name(group), cst.Name("create_task"))

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        if id(original_node) in self.calls:
            return updated_node.with_changes(func=self.spawner)
        return updated_node


def is_fallback(node: cst.If, frame: Frame) -> bool:
    """Whether ``node`` is ``if tg is None:`` for an optional TaskGroup ``tg`` of
    ``frame``: its body is the fallback (as written for a tracker that does more),
    whose tracker calls stay."""
    test = node.test
    if not (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and len(test.comparisons) == 1
    ):
        return False
    (target,) = test.comparisons
    return (
        isinstance(target.operator, cst.Is)
        and isinstance(target.comparator, cst.Name)
        and target.comparator.value == "None"
        and frame.taskgroup_params.get(test.left.value) == "optional"
    )


def _fitted(
    statement: cst.SimpleStatementLine, layout: Layout
) -> cst.SimpleStatementLine:
    """``statement``, one indent deeper than ``layout.column``, with a call (alone,
    assigned to one name, or returned) laid out again if its line grows too long."""
    column = layout.column + len(layout.unit)
    small = statement.body[0]
    comment = statement.trailing_whitespace
    if len(statement.body) != 1 or (
        column + len(code_of(small)) + len(code_of(comment).rstrip("\r\n"))
        <= layout.line_length
    ):
        return statement
    prefix = ""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        prefix = f"{code_of(small.targets[0].target)} = "
    elif isinstance(small, cst.Return):
        prefix = "return "
    elif not isinstance(small, cst.Expr):
        return statement
    call = small.value
    if not isinstance(call, cst.Call) or "\n" in code_of(call):
        return statement
    text = spawn_call(
        code_of(call.func),
        call,
        column=column,
        line_length=layout.line_length,
        unit=layout.unit,
        prefix=prefix,
    )
    laid = parse_statement(text + "\n", layout.module)
    assert isinstance(laid, cst.SimpleStatementLine)
    return laid.with_changes(trailing_whitespace=comment)
