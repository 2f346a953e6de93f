"""The project index: the questions codemods ask of every module's facts.

Built in the parent from the facts the workers collected (no LibCST, no trees), or,
for a single file, from that file's facts alone (a *local* index). Names and values
are resolved by its base, :class:`~codemods.analysis.symbols.SymbolTable`; the answers
come from ``families.py`` (TG002's lifecycle families, who takes a TaskGroup after the
run) and ``triggers.py`` (the words of the next round).

Codemods ask only the methods marked ``@query``. A recording index logs each question
with its answer; the runner replays the log of a file transformed with a local index
against the full index, and transforms the file again only where an answer differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec, Self, TypeVar

from codemods.analysis import (
    dependencies,
    dependency_home,
    families,
    passing,
    taken,
    trackers,
    triggers,
)
from codemods.analysis.dependencies import DependencyWrapper
from codemods.analysis.dependency_home import DependencyHome
from codemods.analysis.facts import ModuleFacts, Ref
from codemods.analysis.families import GroupParameter, Lifecycle, LifecycleCall
from codemods.analysis.scope import IndexScope
from codemods.analysis.symbols import SymbolTable

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Query:
    """One question a codemod asked, and the answer it got."""

    name: str
    args: tuple[Any, ...]
    answer: Any


def query(
    method: Callable[Concatenate[ProjectIndex, P], R],
) -> Callable[Concatenate[ProjectIndex, P], R]:
    """Mark a method as a question codemods ask; a recording index logs it."""

    @wraps(method)
    def recorded(self: ProjectIndex, /, *args: P.args, **kwargs: P.kwargs) -> R:
        answer = method(self, *args, **kwargs)
        if self.log is not None:
            self.log.append(Query(method.__name__, args, answer))
        return answer

    return recorded


@dataclass
class ProjectIndex(SymbolTable):
    """The symbol table, and the questions asked of it (logged when recording)."""

    log: list[Query] | None = None

    @classmethod
    def build(
        cls, facts: Iterable[ModuleFacts], scope: IndexScope, *, record: bool = False
    ) -> Self:
        """The index of ``facts``; with ``record``, one that logs every question."""
        index = super().build(facts, scope)
        if record:
            index.log = []
        return index

    def replays(self, queries: Iterable[Query]) -> bool:
        """Whether this index answers every logged question as it was answered.

        Every question is asked (no short cut), so that ``unresolved`` learns every
        name the answers would need.
        """
        log, self.log = self.log, None  # replaying is not asking
        try:
            answers = [getattr(self, q.name)(*q.args) == q.answer for q in queries]
        finally:
            self.log = log
        return all(answers)

    # -- the questions codemods ask ---------------------------------------------------

    @query
    def lifecycle(self, owner: str, method: str) -> Lifecycle | None:
        """How TG002 treats ``method`` as class ``owner`` defines it; None: it stays."""
        return families.lifecycle(self, owner, method)

    @query
    def lifecycle_call(self, receiver: Ref, method: str) -> LifecycleCall | None:
        """The conversion ``<receiver>.<method>()`` follows, if TG002 makes it async."""
        owner = self.class_of(receiver)
        return None if owner is None else families.lifecycle_call(self, owner, method)

    @query
    def lifecycle_super_call(self, owner: str, method: str) -> LifecycleCall | None:
        """The same for ``super().<method>()`` in a method of class ``owner``."""
        if owner not in self.classes:
            return None
        for _, base in self.bases(owner):
            if base is not None and self.method(base, method) is not None:
                return families.lifecycle_call(self, base, method)
        return None

    @query
    def taskgroup_parameter(self, func: Ref) -> GroupParameter | None:
        """The TaskGroup parameter what ``func`` names takes once the run is over."""
        callee = self.callee(func)
        if callee is not None:
            return passing.taskgroup_parameter(self, callee)
        if func.kind == "value" and func.name in self.scope.accepting:
            return GroupParameter(self.scope.taskgroup_param, None, _short(func.name))
        return None

    @query
    def coroutine_function(self, func: Ref) -> str | None:
        """What calling ``func`` runs (``Class.method``), when that is a coroutine
        function once the run is over: an ``async def`` (not an async generator, nor
        decorated), or a lifecycle method TG002 makes async. Asked of every call, it
        pulls no further module into the run (``quiet``): the rounds follow the
        names of coroutine functions and what reaches them (``triggers.py``)."""
        quiet, self.quiet = self.quiet, True
        try:
            return families.coroutine_function(self, self.callee(func))
        finally:
            self.quiet = quiet

    @query
    def taken_as_value(self, target: str) -> tuple[str, ...]:
        """Where the function or method ``target`` (``pkg.mod.f``,
        ``pkg.mod.Class.method``) is taken as a value (``Depends(f)``, a callback, a
        container), as ``path:line (how)``: no parameter may be added to it."""
        return taken.taken_as_value(self, target)

    @query
    def dependency_wrapper(self, target: str) -> DependencyWrapper | None:
        """The wrapper dependency FastAPI calls ``target`` through once the run is
        over, when it is taken only as ``Depends(f)`` and gains a TaskGroup."""
        if target not in passing.gaining_functions(self):
            return None
        return dependencies.dependency_wrapper(self, target)

    @query
    def why_not_wrapped(self, target: str) -> str | None:
        """Why ``target``, taken only as ``Depends(f)``, gets no wrapper dependency."""
        return dependencies.why_not_wrapped(self, target)

    @query
    def taskgroup_callers(self, target: str) -> tuple[str, ...]:
        """Where a caller passes a TaskGroup to ``target`` once the run is over, as
        ``path:line``; empty: TG003 gives it no parameter (no dead plumbing)."""
        return passing.taskgroup_callers(self, target)

    @query
    def keeps_started_taskgroup(self, owner: str) -> bool:
        """Whether class ``owner``'s lifecycle method that TG002 converts keeps its
        TaskGroup as ``self.tg``, for another method passing it on."""
        return passing.keeps_started_taskgroup(self, owner)

    @query
    def keeps_taskgroup(self, owner: str) -> bool:
        """Whether class ``owner`` keeps a TaskGroup as ``self.tg`` once the run is
        over (given to ``__init__`` or to its converted lifecycle method)."""
        return passing.keeps_taskgroup(self, owner)

    @query
    def tracker_extras(self, tracker: str) -> tuple[str, ...] | None:
        """What the tracker ``tracker`` does beyond keeping a strong reference (TG001
        keeps calling it in its fallbacks if anything); None: not defined in the run."""
        return trackers.extras(self, tracker)

    @query
    def tracker_users(self, tracker: str) -> tuple[str, ...]:
        """The modules outside its own that still import the tracker ``tracker``, a
        function of its module, or the module."""
        return trackers.users(self, tracker)

    @query
    def fastapi_modules(self, role: str) -> tuple[str, ...]:
        """The modules playing ``role`` in a FastAPI app's root TaskGroup
        (``fastapi_roles.py``: ``"root"``, ``"endpoint"``), by name."""
        if role == dependencies.ENDPOINT:
            # Where TG005 writes a wrapper dependency, it asks for the root too.
            return tuple(sorted(dependency_home.needing_modules(self)))
        found = (
            name for name, module in self.modules.items() if role in module.fastapi
        )
        return tuple(sorted(found))

    @query
    def task_group_dependency(self) -> DependencyHome:
        """Where ``get_task_group`` is defined once the run is over, for the modules
        needing it (``dependency_home.py``): one module, or each its own."""
        return dependency_home.dependency_home(self)

    def dynamic_triggers(self) -> frozenset[bytes]:
        """Words a file must spell to reach what the codemods change (next rounds)."""
        if "triggers" not in self._caches:
            self._caches["triggers"] = triggers.dynamic_triggers(self)
        found: frozenset[bytes] = self._caches["triggers"]
        return found


def _short(name: str) -> str:
    return name.rpartition(".")[2]
