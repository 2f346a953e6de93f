"""TG003: functions the repository takes as values keep their signatures.

``Depends(get_rate_limiter)``, ``bus.subscribe(topic, self.on_event)``,
``loop.call_soon(f)``: whoever receives the function calls it with the arguments it
chooses, and FastAPI reads its parameters as the request's, so ``tg`` added to it
breaks the program (at import, for FastAPI). Such a function's spawns keep only the
strong reference. The project index knows the uses in every module of the run; with
no index (TG003 selected alone), this module's own facts are asked.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.analysis.index import ProjectIndex
from codemods.cst.scopes import ClassScope, Frame
from codemods.rules.indexed import local_index
from codemods.rules.scope_tracking import ScopeTracking

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
        """Why the innermost function of ``scopes`` keeps its signature, if it must:
        a top-level function or a method of a top-level class taken as a value."""
        names = [
            scope.node.name.value
            if isinstance(scope, ClassScope)
            else scope.function.name.value
            for scope in scopes
        ]
        if not 1 <= len(names) <= 2 or (
            len(names) == 2 and not isinstance(scopes[0], ClassScope)
        ):
            return None  # a nested function: the index knows none
        places = self.index.taken_as_value(".".join([self.module, *names]))
        if not places:
            return None
        return KEEP_VALUE.format(name=".".join(names), places=", ".join(places))

    def constructor_taken(self, node: cst.ClassDef) -> bool:
        """Whether class ``node`` (top-level) is itself taken as a value (a factory:
        ``Depends(Limiter)``), so that its ``__init__`` keeps its signature."""
        target = f"{self.module}.{node.name.value}.__init__"
        return bool(self.index.taken_as_value(target))
