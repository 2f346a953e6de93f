"""TG001's reading of a function: its tracker calls, and whether it gains ``tg``.

Asked by the codemod while it rewrites, and by the fact collector (the hook of
``gains.py``), so that the project index and the rewrite agree on which functions take
the TaskGroup parameter, and TG005/TG007 pass it to their callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from codemods.analysis.facts import FunctionFacts
from codemods.cst.coroutine_uses import changes_calls
from codemods.cst.coroutines import Coroutines
from codemods.cst.find import OwnCodeVisitor
from codemods.cst.names import identifiers
from codemods.cst.qualified import QualifiedNamesOf, matches_configured
from codemods.cst.scopes import frame_for, taskgroup_targets
from codemods.cst.spawns import CREATE_TASK_KEYWORDS


def unsupported_arguments(call: cst.Call) -> str | None:
    """What of a tracker ``call``'s arguments ``TaskGroup.create_task`` does not take
    (```name=``` or "these arguments"), or None."""
    unsupported = [
        arg.keyword.value
        for arg in call.args
        if arg.keyword is not None and arg.keyword.value not in CREATE_TASK_KEYWORDS
    ]
    positional = [arg for arg in call.args if arg.keyword is None]
    if unsupported:
        return f"`{unsupported[0]}=`"
    if len(positional) != 1 or any(arg.star for arg in call.args):
        return "these arguments"
    return None


class _TrackerCalls(OwnCodeVisitor):
    """Tracker calls of one function's own body outside any ``async with
    asyncio.TaskGroup() as g`` (those have a TaskGroup in scope)."""

    def __init__(self, resolve: QualifiedNamesOf, trackers: Sequence[str]) -> None:
        super().__init__()
        self.names_of, self.trackers = resolve, trackers
        self.depth: list[int] = []
        self.found: list[cst.Call] = []

    def visit_With(self, node: cst.With) -> None:
        self.depth.append(len(taskgroup_targets(node, self.names_of)))

    def leave_With(self, original_node: cst.With) -> None:
        self.depth.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if not any(self.depth) and matches_configured(
            self.names_of(node.func), self.trackers
        ):
            self.found.append(node)


def gains_taskgroup(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    *,
    param: str,
    trackers: Sequence[str],
    suppressed: Callable[[cst.Call], bool],
    coroutines: Coroutines,
) -> bool:
    """Whether TG001 would give ``function`` the keyword-only TaskGroup parameter
    ``param``: a coroutine function with no TaskGroup parameter, not decorated (its
    decorator decides its callers), ``param`` free in it, whose own body calls the
    tracker, outside any TaskGroup block, in a way TG001 can rewrite. Whether it is
    a module-level function nothing takes as a value is the index's to say
    (``families``)."""
    if function.asynchronous is None or changes_calls(function):
        return False
    if frame_for(function, resolve, None).taskgroup_params:
        return False
    if param in identifiers(function):
        return False
    visitor = _TrackerCalls(resolve, trackers)
    function.body.visit(visitor)
    return any(
        not suppressed(call)
        and unsupported_arguments(call) is None
        and coroutines.provable(call.args[0].value, function)
        for call in visitor.found
    )


def why_no_parameter(facts: FunctionFacts | None) -> str:
    """Why a function with a tracker call and no TaskGroup does not gain one, by its
    facts (those of a module-level function TG001 would give it), after "no TaskGroup
    in scope: "."""
    if facts is None or not facts.gains_taskgroup:
        return "pass one in, or let TG002 convert the enclosing lifecycle method"
    name = facts.name
    if facts.taken_as_value:
        return (
            f"`{name}()` is taken as a value in its module (a callback, a "
            "dependency), whose caller would not pass one: pass one in by hand"
        )
    return (
        f"`{name}()` is public, and other modules may take it as a value "
        f"(`Depends({name})`), which this run does not check yet: pass one in by hand"
    )
