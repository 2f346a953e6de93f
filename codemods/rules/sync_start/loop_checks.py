"""TG002: the running-loop checks a lifecycle method made async no longer needs.

In a coroutine the loop is always running, so ``try: asyncio.get_running_loop()`` with
only ``except RuntimeError: ... raise`` can never fail there; it goes, with the
``loop = asyncio.get_running_loop()`` lines nothing uses once the spawns moved to the
TaskGroup.
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst

from codemods.core.asyncio_names import RUNNING_LOOP_GETTERS
from codemods.cst.find import find_all
from codemods.cst.qualified import QualifiedNamesOf


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
    if not isinstance(small, (cst.Assign, cst.Expr)):
        return False
    if isinstance(small, cst.Assign) and _assigned_name(small) not in unused:
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
        if _count(after, name)
        == sum(
            _count(new, name)
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
            if isinstance(statement, cst.SimpleStatementLine)
            and len(statement.body) == 1
            and _assigned_name(statement.body[0]) == name
        ]
        uses = _count(function, name)
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


def _assigned_name(small: cst.BaseSmallStatement) -> str | None:
    """``loop`` for ``loop = ...`` (one target, a name)."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    return None


def _count(root: cst.CSTNode, name: str) -> int:
    """How many times ``root`` spells the name ``name``."""
    return sum(node.value == name for node in find_all(root, cst.Name))
