"""TG003's analysis: the spawns a function throws away, and what it does about each.

Asked by the codemod while it rewrites, and by the fact collector, through the hook
of ``gains.py``, to tell the project index which functions gain a TaskGroup parameter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from codemods.cst.coroutine_uses import changes_calls
from codemods.cst.coroutines import Coroutines
from codemods.cst.event_loops import LoopKind, loop_locals, loop_receiver
from codemods.cst.find import OwnCodeVisitor
from codemods.cst.names import identifiers
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.scopes import frame_for, taskgroup_targets
from codemods.cst.spawns import spawn_kind, unsupported_spawn
from codemods.cst.walk import visit


@dataclass(frozen=True)
class Dangling:
    """A spawn whose task its function throws away, and what TG003 does about it."""

    call: cst.Call
    # A TaskGroup certainly in scope there: the task is spawned into it in place.
    group: str | None = None
    # Why it cannot be fixed (completes a sentence starting "`asyncio.create_task()`").
    problem: str | None = None
    # Why no TaskGroup takes it: the spawn stays as written, its task kept strongly
    # (completes "... until it is done, ").
    keep: str | None = None


# Whether a discarded spawn goes into a TaskGroup, an optional one, or is only kept.
KEEP_FUTURE = "since its argument may be a Future, which a TaskGroup does not take"
KEEP_LOOP = "on its own event loop, which need not be the running one"
KEEP_SYNC = "since synchronous `{name}()` has no TaskGroup at hand"
# A synchronous method's spawn into the TaskGroup its class keeps (``callback_spawns``).
INTO_KEPT = (
    "spawn the task {spelled} throws away into `{stored}`, which its class's "
    "constructor is now given, else keep a strong reference to it until it is done; "
    "`TaskGroup.create_task()` raises RuntimeError once the group is shutting down, "
    "so `{name}()` (a callback, often) must not run after the group's end begins"
)
KEEP_TEST = "since pytest, not a caller, runs `{name}()`"
KEEP_DECORATED = (
    "since `{name}()` is decorated, and its decorator (a framework's route or "
    "dependency, a registry) decides what calls it and with which arguments"
)
_PYTEST_FIXTURES = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})


class _DiscardedSpawns(OwnCodeVisitor):
    """Statements of one function body that spawn and throw the task away (an
    expression statement, or ``_ = ...``/``name = ...`` never read), with the innermost
    ``async with asyncio.TaskGroup() as g`` around each, and whether each is alone on
    its line."""

    def __init__(
        self, function: cst.FunctionDef, resolve: QualifiedNamesOf, loops: Loops
    ) -> None:
        super().__init__()
        self.function, self.names_of, self.loops = function, resolve, loops
        self.blocks: list[str] = []
        self.counts: list[int] = []
        self.found: list[tuple[cst.Call, str, str | None, bool]] = []
        self._reads: Counter[str] | None = None

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
            call = discarded_call(small, self._unread)
            kind = None if call is None else self.loops.kind(call)
            if call is not None and kind is not None:
                block = self.blocks[-1] if self.blocks else None
                self.found.append((call, kind, block, alone))

    def _unread(self, name: str) -> bool:
        if self._reads is None:
            self._reads = name_counts(self.function)
        return name == "_" or self._reads[name] == 1


def discarded_call(
    small: cst.BaseSmallStatement, unread: Callable[[str], bool]
) -> cst.Call | None:
    """The call whose result ``small`` throws away: an expression statement, or an
    assignment to one name that ``unread`` says is never read."""
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        return small.value
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and isinstance(small.value, cst.Call)
        and unread(small.targets[0].target.value)
    ):
        return small.value
    return None


def name_counts(function: cst.FunctionDef) -> Counter[str]:
    """How often each identifier is spelled in ``function`` (nested scopes too)."""
    found: Counter[str] = Counter()

    class _Count(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found[name.value] += 1

        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            visit(attribute.value, self)
            return False

    visit(function.body, _Count())
    return found


@dataclass(frozen=True)
class Loops:
    """The event loops of one function, to tell which spawns TG003 knows: ``create_task``
    and ``ensure_future``, ``create_task`` on the running loop (``"loop"``) or on
    another event loop (``"event_loop"``)."""

    function: cst.FunctionDef
    resolve: QualifiedNamesOf
    attributes: Collection[str] = ()

    @cached_property
    def locals(self) -> dict[str, LoopKind]:
        return loop_locals(self.function, self.resolve)

    def kind(self, call: cst.Call) -> str | None:
        running = [n for n, k in self.locals.items() if k == "running"]
        kind = spawn_kind(call, self.resolve, running)
        if kind is not None:
            return kind
        receiver = loop_receiver(
            call,
            self.resolve,
            self.locals,
            self.attributes,
            in_coroutine=self.function.asynchronous is not None,
        )
        return None if receiver is None else _LOOP_KINDS[receiver]


_LOOP_KINDS = {"running": "loop", "other": "event_loop"}


def find_dangling(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    *,
    coroutines: Coroutines | None = None,
    loop_attributes: Collection[str] = (),
) -> list[Dangling]:
    """Every spawn in ``function``'s own body whose task is thrown away, and what TG003
    does about it; ``param``: the TaskGroup parameter; ``coroutines``: what the module
    provably calls coroutines; ``loop_attributes``: ``self.<name>`` event loops."""
    kinds = frame_for(function, resolve, None).taskgroup_params
    required = next((name for name, kind in kinds.items() if kind == "required"), None)
    optional = next((name for name, kind in kinds.items() if kind == "optional"), None)
    coroutines = coroutines or Coroutines(resolve)
    walker = _DiscardedSpawns(
        function, resolve, Loops(function, resolve, loop_attributes)
    )
    visit(function.body, walker)
    found = []
    for call, kind, block, alone in walker.found:
        group = block or required
        keep = _kept_only(function, call, kind, group or optional, coroutines, resolve)
        if keep is not None:
            found.append(Dangling(call, None, _keep_problem(function, alone), keep))
            continue
        problem = unsupported_spawn(call, kind)
        if problem is None and group is None:
            problem = _no_group(
                function, kind, alone=alone, optional=optional, param=param
            )
        found.append(Dangling(call, None if problem else group, problem))
    return found


def _kept_only(
    function: cst.FunctionDef,
    call: cst.Call,
    kind: str,
    group: str | None,
    coroutines: Coroutines,
    resolve: QualifiedNamesOf,
) -> str | None:
    """Why the spawn ``call`` only gets a strong reference, or None."""
    name = function.name.value
    if kind == "event_loop":
        return KEEP_LOOP
    if kind == "ensure_future":
        argument = call.args[0].value if call.args else None
        if argument is None or not coroutines.provable(argument, function):
            return KEEP_FUTURE
    if group is not None:
        return None
    if function.asynchronous is None and kind != "loop":
        return KEEP_SYNC.format(name=name)
    if name.startswith("test") or any(
        resolve(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator)
        & _PYTEST_FIXTURES
        for d in function.decorators
    ):
        return KEEP_TEST.format(name=name)
    if changes_calls(function):
        return KEEP_DECORATED.format(name=name)
    return None


def _keep_problem(function: cst.FunctionDef, alone: bool) -> str | None:
    if function.name.value == "__init__":
        return _IN_INIT
    if not alone:
        return _SHARES_LINE
    return None


_IN_INIT = (
    "starts a task in `__init__`, which cannot own it: start it from an async "
    "method that takes a TaskGroup"
)
_SHARES_LINE = "shares its line with other statements: put it on a line of its own"


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
        return _IN_INIT
    if not alone:
        return _SHARES_LINE
    if optional is None and param in identifiers(function):
        return (
            f"needs a TaskGroup parameter, but `{param}` already means something else "
            f"in `{name}()`"
        )
    return None


def dangling_spawns(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    coroutines: Coroutines | None = None,
) -> list[cst.Call]:
    """The thrown-away spawns TG003 sends through an optional TaskGroup in ``function``:
    its ``param`` (added when it has no optional TaskGroup parameter), else the
    class's ``self.<param>``, else a strongly referenced fallback. ``# noqa`` is not
    consulted."""
    return [
        entry.call
        for entry in find_dangling(function, resolve, param, coroutines=coroutines)
        if entry.group is None and entry.problem is None and entry.keep is None
    ]


def callback_spawns(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    coroutines: Coroutines | None = None,
) -> list[cst.Call]:
    """The thrown-away spawns of synchronous method ``function`` (a callback, often:
    its caller passes nothing) that a TaskGroup its class keeps as ``self.<param>``
    can take, when some construction of the class passes one; else they are only
    kept. ``# noqa`` is not consulted."""
    if function.asynchronous is not None:
        return []
    keep = KEEP_SYNC.format(name=function.name.value)
    return [
        entry.call
        for entry in find_dangling(function, resolve, param, coroutines=coroutines)
        if entry.keep == keep and entry.problem is None
    ]


def gains_taskgroup(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    suppressed: Callable[[cst.Call], bool] | None = None,
    coroutines: Coroutines | None = None,
) -> bool:
    """Whether TG003 adds ``<param>: asyncio.TaskGroup | None = None`` to ``function``.

    ``suppressed`` tells which calls carry a ``# noqa`` for TG003, if the caller knows.
    """
    kinds = frame_for(function, resolve, None).taskgroup_params.values()
    calls = dangling_spawns(function, resolve, param, coroutines)
    if suppressed is not None:
        calls = [call for call in calls if not suppressed(call)]
    return "optional" not in kinds and bool(calls)
