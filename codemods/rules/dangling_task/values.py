"""TG003: which signatures may change. A function the repository takes as a value
keeps its signature, and one no caller passes a TaskGroup to gains no parameter.

``Depends(get_rate_limiter)``, ``bus.subscribe(topic, self.on_event)``,
``loop.call_soon(f)``: whoever receives the function calls it with the arguments it
chooses, and FastAPI reads its parameters as the request's, so ``tg`` added to it
breaks the program (at import, for FastAPI). Such a function's spawns keep only the
strong reference. A ``tg`` parameter or ``self.tg`` that no caller in the run fills
is dead plumbing (``analysis/passing.py``): there too only the strong reference is
written. The project index knows the uses in every module of the run; with no index,
this module's own facts are asked.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.analysis.families import dangling_task_group
from codemods.analysis.index import ProjectIndex
from codemods.cst.scopes import ClassScope, Frame
from codemods.rules.indexed import local_index
from codemods.rules.scope_tracking import ScopeTracking

KEEP_UNPASSED = (
    "since no caller in this run has a TaskGroup to pass to `{name}()` (none calls "
    "it inside a TaskGroup, from an entry point or from a function that has one)"
)
KEEP_NOT_PASSING = (
    "since this run passes no TaskGroups (select TG005 too, and `{name}()` takes one "
    "where a caller has one to pass)"
)
KEEP_VALUE = (
    "since `{name}()` is taken as a value at {places}: whoever calls it chooses its "
    "arguments, so it cannot take a TaskGroup parameter"
)


class TakenFunctions:
    """Asks the project index whether what a codemod visits is taken as a value."""

    def __init__(self, codemod: ScopeTracking) -> None:
        self.codemod = codemod
        self._index: ProjectIndex | None = None

    @property
    def module(self) -> str:
        return self.codemod.module_name or "__main__"

    @property
    def index(self) -> ProjectIndex:
        if self._index is None:
            self._index = self.codemod.env.index or local_index(
                self.codemod, self.module
            )
        return self._index

    def taken(self, scopes: Sequence[ClassScope | Frame]) -> str | None:
        """Why the innermost function of ``scopes`` keeps its signature because it is
        taken as a value (a nested function, unknown to the index: because no caller
        is known to pass it a TaskGroup)."""
        names = _names(scopes)
        if names is None:
            return KEEP_UNPASSED.format(name=_last(scopes))
        target = ".".join([self.module, *names])
        places = self.index.taken_as_value(target)
        if not places or self.index.dependency_wrapper(target) is not None:
            return None  # not taken, or FastAPI's `Depends()` is repointed (TG005)
        kept = KEEP_VALUE.format(name=".".join(names), places=", ".join(places))
        blocked = self.index.why_not_wrapped(target)
        if blocked is not None:  # only `Depends()` takes it: the wrapper cannot be
            return f"{kept} (no wrapper dependency passing it one: {blocked})"
        return kept

    def passed(self, scopes: Sequence[ClassScope | Frame]) -> bool:
        """Whether some caller passes a TaskGroup to the innermost function."""
        names = _names(scopes)
        target = None if names is None else ".".join([self.module, *names])
        return (
            target is not None
            and self.passing
            and bool(self.index.taskgroup_callers(target))
        )

    @property
    def passing(self) -> bool:
        """Whether this run passes TaskGroups at all: only a run with the project
        index does (TG005 writes the passing), so a run without one gains nothing."""
        return self.codemod.env.index is not None

    def unpassed(self, scopes: Sequence[ClassScope | Frame]) -> str:
        template = KEEP_UNPASSED if self.passing else KEEP_NOT_PASSING
        return template.format(name=_last(scopes))

    def owner_group(self, scopes: Sequence[ClassScope | Frame]) -> str:
        """The group of the fixes that change the signature and state of the innermost
        enclosing class, else of the module-level function, in ``scopes``."""
        classes = [n for n, s in enumerate(scopes) if isinstance(s, ClassScope)]
        owner = scopes[: classes[-1] + 1 if classes else 1]
        names = [
            (scope.node if isinstance(scope, ClassScope) else scope.function).name.value
            for scope in owner
        ]
        return dangling_task_group(".".join([self.module, *names]))

    def constructor_passed(self, node: cst.ClassDef) -> bool:
        """Whether some caller constructs class ``node`` passing a TaskGroup."""
        target = f"{self.module}.{node.name.value}.__init__"
        return self.passing and bool(self.index.taskgroup_callers(target))

    def constructor_taken(self, node: cst.ClassDef) -> bool:
        """Whether class ``node`` (top-level) is itself taken as a value (a factory:
        ``Depends(Limiter)``), so that its ``__init__`` keeps its signature."""
        target = f"{self.module}.{node.name.value}.__init__"
        return bool(self.index.taken_as_value(target))


def _names(scopes: Sequence[ClassScope | Frame]) -> list[str] | None:
    """``[function]`` or ``[Class, method]``, the names the index knows it by; None
    for a nested function."""
    names = [
        scope.node.name.value
        if isinstance(scope, ClassScope)
        else scope.function.name.value
        for scope in scopes
    ]
    if not 1 <= len(names) <= 2:
        return None
    if len(names) == 2 and not isinstance(scopes[0], ClassScope):
        return None
    return names


def _last(scopes: Sequence[ClassScope | Frame]) -> str:
    top = scopes[-1]
    return (
        top.node.name.value if isinstance(top, ClassScope) else top.function.name.value
    )
