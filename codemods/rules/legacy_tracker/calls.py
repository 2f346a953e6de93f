"""TG001's reading of a function: its tracker calls, and whether it gains ``tg``.

Asked by the codemod while it rewrites, and by the fact collector (the hook of
``gains.py``), so that the project index and the rewrite agree on which functions take
the TaskGroup parameter, and TG005/TG007 pass it to their callers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst
from libcst.metadata import Scope

from codemods.analysis.facts import Ref
from codemods.analysis.families import TG001
from codemods.analysis.index import ProjectIndex
from codemods.analysis.inference import FunctionTypes
from codemods.cst.coroutine_uses import changes_calls
from codemods.cst.coroutines import Coroutines
from codemods.cst.find import OwnCodeVisitor
from codemods.cst.module_names import ModuleNames
from codemods.cst.names import identifiers
from codemods.cst.qualified import QualifiedNamesOf, matches_configured
from codemods.cst.scopes import Frame, frame_for, taskgroup_targets
from codemods.cst.spawns import CREATE_TASK_KEYWORDS
from codemods.cst.walk import visit


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
    tracker, outside any TaskGroup block, with arguments TG001 can rewrite. Whether it is
    a module-level function nothing takes as a value is the index's to say
    (``families``)."""
    if function.asynchronous is None or changes_calls(function):
        return False
    if frame_for(function, resolve, None).taskgroup_params:
        return False
    if param in identifiers(function):
        return False
    visitor = _TrackerCalls(resolve, trackers)
    visit(function.body, visitor)
    # A call the module cannot prove a coroutine, the index may (``indexed_coroutine``);
    # where it cannot either, the call is reported and the parameter stays unused.
    return any(
        not suppressed(call)
        and unsupported_arguments(call) is None
        and isinstance(call.args[0].value, cst.Call)
        for call in visitor.found
    )


def why_no_parameter(index: ProjectIndex | None, function: str | None) -> str:
    """Why module-level ``function`` (None: any other place), holding a tracker call
    and no TaskGroup, does not gain one, after "no TaskGroup in scope: "."""
    facts = None if index is None or function is None else index.functions.get(function)
    if index is None or function is None or facts is None or not facts.gains_taskgroup:
        return "pass one in, or let TG002 convert the enclosing lifecycle method"
    name = facts.name
    places = index.taken_as_value(function)
    if places:
        blocked = index.why_not_wrapped(function)
        if blocked is not None:  # only `Depends()` takes it: the wrapper cannot be
            return (
                f"`{name}()` is a FastAPI dependency ({', '.join(places)}), and no "
                f"wrapper passing it the root can be written: {blocked}"
            )
        return (
            f"`{name}()` is taken as a value ({', '.join(places)}), whose caller "
            "would not pass one: pass one in by hand"
        )
    return (
        f"no caller in this run passes `{name}()` a TaskGroup, so it gains no "
        "parameter: pass one in by hand, or open the root TaskGroup (TG007)"
    )


def indexed_coroutine(
    index: ProjectIndex,
    names: ModuleNames,
    frame: Frame,
    owner: str | None,
    argument: cst.BaseExpression,
) -> bool:
    """Whether ``argument``, in ``frame``'s own body, calls what the project index
    resolves to a coroutine function (``monitor.run()`` where ``monitor`` holds a
    class of the project whose ``run`` is an ``async def``); ``owner``: the class
    ``frame`` is an instance method of."""
    if not isinstance(argument, cst.Call):
        return False
    ref = FunctionTypes(frame.function, names, owner).of(argument.func)
    return ref is not None and index.coroutine_function(ref) is not None


def gained_group(index: ProjectIndex, function: str, param: str) -> str | None:
    """The group of the fixes giving module-level ``function`` the TaskGroup
    parameter ``param``, shared with the callers TG005/TG007 pass it from; None when
    the project index says it does not gain it (``families.taskgroup_parameter``: the
    fact collector asked ``gains_taskgroup``, the index whether it may)."""
    facts = index.functions.get(function)  # its own module's: no question to log
    if facts is None or TG001 not in facts.gains_taskgroup:
        return None  # TG001 does not give it the parameter (TG003 may)
    parameter = index.taskgroup_parameter(Ref.value(function))
    if parameter is None or parameter.name != param:
        return None
    return parameter.group


UNUSED = (
    "nothing outside its module calls `{name}()`, or any other function of it, any "
    "more: its module can be deleted"
)


def unused_module(index: ProjectIndex, scope: Scope | None, tracker: str) -> bool:
    """Whether nothing uses the module defining ``tracker`` any more: no reference
    to it in its own module (``scope``, where it is defined), and no other module of
    the run importing it, a function of it, or the module (``trackers.users``)."""
    short = tracker.rpartition(".")[2]
    if scope is None or any(a.references for a in scope.assignments[short]):
        return False  # its own module uses it (or the scope analysis cannot say)
    return not index.tracker_users(tracker)
