"""TG003's analysis: the spawns a function throws away, and what it does about each.

Asked by the codemod while it rewrites, and by the fact collector, through the hook
of ``gains.py``, to tell the project index which functions gain a TaskGroup parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.cst.names import identifiers
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.scopes import frame_for, taskgroup_targets
from codemods.cst.spawns import running_loops, spawn_kind, unsupported_spawn


@dataclass(frozen=True)
class Dangling:
    """A spawn whose task its function throws away, and what TG003 does about it."""

    call: cst.Call
    # A TaskGroup certainly in scope there: the task is spawned into it in place.
    group: str | None = None
    # Why it cannot be fixed (completes a sentence starting "`asyncio.create_task()`").
    problem: str | None = None


class _DiscardedSpawns(cst.CSTVisitor):
    """Expression statements of one function body that spawn, with the innermost
    ``async with asyncio.TaskGroup() as g`` around each, and whether each is alone on
    its line."""

    def __init__(self, resolve: QualifiedNamesOf, loops: Collection[str]) -> None:
        super().__init__()
        self.names_of, self.loops = resolve, loops
        self.blocks: list[str] = []
        self.counts: list[int] = []
        self.found: list[tuple[cst.Call, str, str | None, bool]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_With(self, node: cst.With) -> None:
        targets = taskgroup_targets(node, self.names_of)
        self.blocks.extend(targets)
        self.counts.append(len(targets))

    def leave_With(self, original_node: cst.With) -> None:
        count = self.counts.pop()
        if count:
            del self.blocks[-count:]

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._take(node.body, alone=len(node.body) == 1)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._take(node.body, alone=False)

    def _take(
        self, statements: Sequence[cst.BaseSmallStatement], *, alone: bool
    ) -> None:
        for small in statements:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                kind = spawn_kind(small.value, self.names_of, self.loops)
                if kind is not None:
                    block = self.blocks[-1] if self.blocks else None
                    self.found.append((small.value, kind, block, alone))


def find_dangling(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> list[Dangling]:
    """Every spawn in ``function``'s own body whose task is thrown away (an expression
    statement), and what TG003 does about it; ``param``: the TaskGroup parameter."""
    kinds = frame_for(function, resolve, None).taskgroup_params
    required = next((name for name, kind in kinds.items() if kind == "required"), None)
    optional = next((name for name, kind in kinds.items() if kind == "optional"), None)
    walker = _DiscardedSpawns(resolve, running_loops(function, resolve))
    function.body.visit(walker)
    found = []
    for call, kind, block, alone in walker.found:
        group = block or required
        problem = unsupported_spawn(call, kind)
        if problem is None and group is None:
            problem = _no_group(
                function, kind, alone=alone, optional=optional, param=param
            )
        found.append(Dangling(call, None if problem else group, problem))
    return found


def _no_group(
    function: cst.FunctionDef,
    kind: str,
    *,
    alone: bool,
    optional: str | None,
    param: str,
) -> str | None:
    """Why a spawn with no TaskGroup certainly in scope cannot use an optional one."""
    name = function.name.value
    if name == "__init__":
        # Its fallback would need the keeper that __init__ itself declares last.
        return (
            "starts a task in `__init__`, which cannot own it: start it from an async "
            "method that takes a TaskGroup"
        )
    if function.asynchronous is None and optional is None and kind != "loop":
        return (
            f"runs in synchronous `{name}()`, with no TaskGroup or running loop at "
            f"hand: a person must decide who owns the task (make `{name}()` async, or "
            "give it a TaskGroup)"
        )
    if not alone:
        return "shares its line with other statements: put it on a line of its own"
    if optional is None and param in identifiers(function):
        return (
            f"needs a TaskGroup parameter, but `{param}` already means something else "
            f"in `{name}()`"
        )
    return None


def dangling_spawns(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> list[cst.Call]:
    """The thrown-away spawns TG003 sends through an optional TaskGroup in ``function``:
    its ``param`` (added when it has no optional TaskGroup parameter), else the
    class's ``self.<param>``, else a strongly referenced fallback. ``# noqa`` is not
    consulted."""
    return [
        entry.call
        for entry in find_dangling(function, resolve, param)
        if entry.group is None and entry.problem is None
    ]


def gains_taskgroup(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    suppressed: Callable[[cst.Call], bool] | None = None,
) -> bool:
    """Whether TG003 adds ``<param>: asyncio.TaskGroup | None = None`` to ``function``.

    ``suppressed`` tells which calls carry a ``# noqa`` for TG003, if the caller knows.
    """
    kinds = frame_for(function, resolve, None).taskgroup_params.values()
    calls = dangling_spawns(function, resolve, param)
    if suppressed is not None:
        calls = [call for call in calls if not suppressed(call)]
    return "optional" not in kinds and bool(calls)
