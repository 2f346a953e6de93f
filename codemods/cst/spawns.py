"""Recognising a call that starts a background task: ``asyncio.create_task``,
``asyncio.ensure_future``, ``create_task`` on the running loop, or a configured
tracker; and whether ``TaskGroup.create_task`` could take it as written.

Shared by the fact collector (which records that a lifecycle method spawns) and by
the codemods that convert spawns (TG001-TG003), so that all agree on what a spawn is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

import libcst as cst

from codemods.core.asyncio_names import (
    LOOP_GETTERS,
    RUNNING_LOOP_GETTERS,
    SPAWN_FUNCTION_NAMES,
)
from codemods.cst.find import OwnCodeVisitor
from codemods.cst.names import dotted, local_bindings, parameter_names
from codemods.cst.qualified import QualifiedNamesOf, matches_configured
from codemods.cst.walk import visit

# What TaskGroup.create_task accepts besides the coroutine.
CREATE_TASK_KEYWORDS = frozenset({"name", "context"})

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
    return _loops(function, resolve, LOOP_GETTERS)


def running_loops(function: cst.FunctionDef, resolve: QualifiedNamesOf) -> set[str]:
    """Locals of ``function`` that only ever hold ``asyncio.get_running_loop()``."""
    return _loops(function, resolve, RUNNING_LOOP_GETTERS)


def _loops(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, getters: frozenset[str]
) -> set[str]:
    """Locals of ``function`` (not parameters) only ever bound to a call of one of
    ``getters``."""
    loops: dict[str, bool] = {}
    for name, _, value in local_bindings(function):
        is_loop = isinstance(value, cst.Call) and bool(resolve(value.func) & getters)
        loops[name] = loops.get(name, True) and is_loop
    parameters = set(parameter_names(function))
    return {name for name, only in loops.items() if only and name not in parameters}


class _SpawnCalls(OwnCodeVisitor):
    """Spawn calls of one function's own body (nested functions are not its body)."""

    def __init__(
        self, resolve: QualifiedNamesOf, trackers: Sequence[str], loops: Collection[str]
    ) -> None:
        super().__init__()
        self.names_of, self.trackers, self.loops = resolve, trackers, loops
        self.found: list[Spawn] = []

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
    visit(function.body, visitor)
    return visitor.found


def spawn_kind(
    call: cst.Call, resolve: QualifiedNamesOf, loops: Collection[str] = ()
) -> str | None:
    """``"create_task"``, ``"ensure_future"`` or ``"loop"`` when ``call`` spawns a task.

    ``loops`` are names known to hold the running loop (:func:`running_loops`); a
    ``create_task`` method of anything else (``self``, a parameter) is not recognised.
    """
    spawners = resolve(call.func) & SPAWN_FUNCTION_NAMES
    if spawners:
        return min(spawners).rsplit(".", 1)[-1]
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "create_task"):
        return None
    owner = func.value
    if isinstance(owner, cst.Name) and owner.value in loops:
        return "loop"
    if isinstance(owner, cst.Call) and resolve(owner.func) & RUNNING_LOOP_GETTERS:
        return "loop"
    return None


def unsupported_spawn(call: cst.Call, kind: str) -> str | None:
    """Why a spawn of ``kind`` (:func:`spawn_kind`) cannot become
    ``TaskGroup.create_task`` as written (completes "``asyncio.create_task()`` ..."),
    or None when it can."""
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = [
        arg.keyword.value
        for arg in call.args
        if arg.keyword is not None and arg.keyword.value not in CREATE_TASK_KEYWORDS
    ]
    if keywords or len(positional) != 1 or any(arg.star for arg in call.args):
        what = f"`{keywords[0]}=`" if keywords else "these arguments"
        return (
            f"passes {what}, which TaskGroup.create_task() does not accept: "
            "migrate it by hand"
        )
    if kind == "ensure_future" and not isinstance(positional[0].value, cst.Call):
        # ensure_future also takes Futures, which a TaskGroup cannot.
        return (
            "may be given a Future, which TaskGroup.create_task() does not accept: "
            "migrate it by hand"
        )
    return None


def spawn_imports(module: cst.Module) -> list[tuple[str, str, str | None]]:
    """Top-level ``from asyncio import create_task [as x]`` and the like, as (module,
    name, alias)."""
    found = []
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and not isinstance(small.names, cst.ImportStar)
            ):
                source = dotted(small.module)
                for alias in small.names:
                    name = alias.evaluated_name
                    if (
                        source is not None
                        and f"{source}.{name}" in SPAWN_FUNCTION_NAMES
                    ):
                        found.append((source, name, alias.evaluated_alias))
    return found
