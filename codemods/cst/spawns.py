"""Recognising a lifecycle method that starts background tasks (TG002's subject).

Shared by the fact collector (which records that a method spawns) and by TG002 (which
converts those spawns), so that both agree on what a spawn is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import libcst as cst
import libcst.matchers as m

from codemods.cst.matchers import (
    LOOP_GETTERS,
    RUNNING_LOOP_GETTERS,
    QualifiedNamesOf,
    local_bindings,
    matches_configured,
    parameter_names,
    spawn_kind,
)

SpawnKind = Literal["tracker", "create_task", "ensure_future", "loop"]
_ASYNCIO_KINDS: dict[str, SpawnKind] = {
    "create_task": "create_task",
    "ensure_future": "ensure_future",
    "loop": "loop",
}


@dataclass(frozen=True)
class Spawn:
    call: cst.Call
    kind: SpawnKind


def event_loops(function: cst.FunctionDef, resolve: QualifiedNamesOf) -> set[str]:
    """Locals of ``function`` only ever bound to ``asyncio.get_running_loop()`` or
    ``asyncio.get_event_loop()``."""
    loops: dict[str, bool] = {}
    for name, _, value in local_bindings(function):
        is_loop = isinstance(value, cst.Call) and bool(
            resolve(value.func) & LOOP_GETTERS
        )
        loops[name] = loops.get(name, True) and is_loop
    parameters = set(parameter_names(function))
    return {name for name, only in loops.items() if only and name not in parameters}


class _SpawnCalls(cst.CSTVisitor):
    """Spawn calls of one function's own body (nested functions are not its body)."""

    def __init__(
        self, resolve: QualifiedNamesOf, trackers: Sequence[str], loops: Collection[str]
    ) -> None:
        super().__init__()
        self.names_of, self.trackers, self.loops = resolve, trackers, loops
        self.found: list[Spawn] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        kind = spawn_call_kind(node, self.names_of, self.trackers, self.loops)
        if kind is not None:
            self.found.append(Spawn(node, kind))


def spawn_call_kind(
    call: cst.Call,
    resolve: QualifiedNamesOf,
    trackers: Sequence[str],
    loops: Collection[str],
) -> SpawnKind | None:
    if matches_configured(resolve(call.func), trackers):
        return "tracker"
    kind = _ASYNCIO_KINDS.get(spawn_kind(call, resolve, loops) or "")
    if kind is not None:
        return kind
    func = call.func
    if (
        isinstance(func, cst.Attribute)
        and func.attr.value == "create_task"
        and isinstance(func.value, cst.Call)
        and resolve(func.value.func) & LOOP_GETTERS
    ):
        return "loop"
    return None


def spawns_in(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, trackers: Sequence[str]
) -> list[Spawn]:
    """Every call in ``function``'s own body that starts a background task."""
    visitor = _SpawnCalls(resolve, trackers, event_loops(function, resolve))
    function.body.visit(visitor)
    return visitor.found


def is_running_loop_check(
    statement: cst.BaseStatement,
    resolve: QualifiedNamesOf,
    unused: Collection[str] = (),
) -> bool:
    """``try: asyncio.get_running_loop()`` with only ``except RuntimeError: ... raise``;
    also ``try: loop = asyncio.get_running_loop()`` for a ``loop`` in ``unused``.

    In a coroutine the loop is always running, so the check can never fail there.
    """
    if not isinstance(statement, cst.Try) or statement.orelse or statement.finalbody:
        return False
    body = statement.body.body
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine):
        return False
    only = body[0].body
    if len(only) != 1:
        return False
    small = only[0]
    if m.matches(small, m.Assign(targets=[m.AssignTarget(target=m.Name())])):
        assert isinstance(small, cst.Assign)
        target = small.targets[0].target
        if not (isinstance(target, cst.Name) and target.value in unused):
            return False
    elif not isinstance(small, cst.Expr):
        return False
    call = small.value
    if not (isinstance(call, cst.Call) and resolve(call.func) & RUNNING_LOOP_GETTERS):
        return False
    return bool(statement.handlers) and all(
        _catches_runtime_error(handler) and _ends_in_raise(handler)
        for handler in statement.handlers
    )


def _catches_runtime_error(handler: cst.ExceptHandler) -> bool:
    kind = handler.type
    return isinstance(kind, cst.Name) and kind.value == "RuntimeError"


def _ends_in_raise(handler: cst.ExceptHandler) -> bool:
    body = handler.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    last = body.body[-1]
    return isinstance(last, cst.SimpleStatementLine) and isinstance(
        last.body[-1], cst.Raise
    )


def without_loop_checks(
    original: cst.FunctionDef,
    updated: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    loops: Collection[str] = (),
) -> cst.FunctionDef:
    """``updated`` without the top-level running-loop checks of ``original``'s body,
    including checks binding one of its ``loops`` that nothing else uses any more."""
    before, after = original.body, updated.body
    if not isinstance(before, cst.IndentedBlock) or not isinstance(
        after, cst.IndentedBlock
    ):
        return updated
    if len(before.body) != len(after.body):
        return updated
    pairs = list(zip(before.body, after.body, strict=True))
    unused = {
        name
        for name in loops
        if len(m.findall(after, m.Name(name)))
        == sum(
            len(m.findall(new, m.Name(name)))
            for old, new in pairs
            if is_running_loop_check(old, resolve, (name,))
        )
    }
    kept = [
        new for old, new in pairs if not is_running_loop_check(old, resolve, unused)
    ]
    if not kept or len(kept) == len(after.body):
        return updated
    return updated.with_changes(body=after.with_changes(body=kept))


def without_unused_loops(function: cst.FunctionDef, loops: set[str]) -> cst.FunctionDef:
    """``function`` without ``loop = asyncio.get_running_loop()`` lines (at the top of
    its body) whose loop nothing uses once its spawns moved to the TaskGroup."""
    body = function.body
    if not loops or not isinstance(body, cst.IndentedBlock):
        return function
    statements = list(body.body)
    for name in loops:
        bindings = [
            index
            for index, statement in enumerate(statements)
            if m.matches(
                statement,
                m.SimpleStatementLine(
                    body=[m.Assign(targets=[m.AssignTarget(target=m.Name(name))])]
                ),
            )
        ]
        uses = len(m.findall(function, m.Name(name)))
        if not bindings or uses != len(bindings):
            continue
        for index in reversed(bindings):
            removed = statements.pop(index)
            following = statements[index] if index < len(statements) else None
            assert isinstance(removed, cst.SimpleStatementLine)
            if isinstance(
                following, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
            ):
                if not following.leading_lines:
                    statements[index] = following.with_changes(
                        leading_lines=removed.leading_lines
                    )
    return function.with_changes(body=body.with_changes(body=statements))
