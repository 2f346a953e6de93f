"""FastAPI endpoints that spawn: they take the root TaskGroup as a dependency.

A ``tg`` parameter of an endpoint would be a request field (FastAPI fails at import),
so until now their spawns were only kept. Where the run's one FastAPI lifespan gets
its root TaskGroup from TG007, which then exposes it as ``app.state.task_group``, an
endpoint takes ``tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]`` and
spawns into it; ``get_task_group`` is written once in the module (503 while the
service is not running), or imported from the one module of the run defining it for
every module needing it (``analysis/dependency_home.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.analysis.fastapi_roles import ROOT
from codemods.analysis.index import ProjectIndex
from codemods.core.settings import Settings
from codemods.cst.build import add_parameter
from codemods.cst.fastapi import (
    DEPENDENCY,
    DEPENDENCY_IMPORTS,
    defines,
    is_endpoint,
    route_owners,
    with_fastapi_imports,
    with_imported_dependency,
    with_task_group_dependency,
)
from codemods.cst.imports import ensure_import
from codemods.cst.names import identifiers
from codemods.cst.qualified import QualifiedNamesOf
from codemods.rules.dangling_task.analysis import KEEP_DECORATED, Dangling
from codemods.rules.registry import selected
from codemods.rules.root_taskgroup.spec import SPEC as ROOT_TASKGROUP


def dependency_message(name: str, param: str, note: str = "") -> str:
    return (
        f"the endpoint `{name}()` takes the root TaskGroup, which TG007 exposes as "
        f"`app.state.task_group`, as the dependency `{param}`{note}"
    )


class Endpoints:
    """The endpoints of one module that take the root TaskGroup as a dependency."""

    def __init__(self) -> None:
        self.owners: frozenset[str] = frozenset()
        self.gaining: set[cst.FunctionDef] = set()
        self.module_name = ""
        self.index: Callable[[], ProjectIndex] | None = None

    def start(
        self,
        module: cst.Module,
        qualified: QualifiedNamesOf,
        settings: Settings,
        index: Callable[[], ProjectIndex],
        module_name: str,
    ) -> None:
        self.gaining = set()
        self.owners = frozenset()
        self.index, self.module_name = index, module_name
        if ROOT_TASKGROUP not in selected(settings):
            return
        owners = route_owners(module, qualified)
        # One root in the run (this module's, or another's): which app an endpoint
        # belongs to is not followed, so two roots leave the endpoints as they were.
        if owners and len(index().fastapi_modules(ROOT)) == 1:
            self.owners = owners

    def spawn_into_dependency(
        self, function: cst.FunctionDef, entries: list[Dangling], param: str
    ) -> list[Dangling]:
        """``entries`` of ``function``, its spawns that were only kept since it is a
        route now spawned into ``param``, the dependency it gains."""
        if not self.owners or not is_endpoint(function, self.owners):
            return entries
        keep = KEEP_DECORATED.format(name=function.name.value)
        taken = [e for e in entries if e.keep == keep and e.problem is None]
        if not taken or param in identifiers(function):
            return entries
        self.gaining.add(function)
        return [Dangling(e.call, group=param) if e in taken else e for e in entries]

    def home(self) -> str | None:
        """The module this one imports ``get_task_group`` from (None: defines it)."""
        assert self.index is not None
        return self.index().task_group_dependency().imported_by(self.module_name)

    def message(self, name: str, param: str) -> str:
        assert self.index is not None
        note = self.index().task_group_dependency().note(self.module_name)
        return dependency_message(name, param, note)

    def with_param(
        self,
        function: cst.FunctionDef,
        param: str,
        aio: str,
        column: int,
        settings: Settings,
        unit: str,
    ) -> cst.FunctionDef:
        defaults = any(p.default is not None for p in function.params.params)
        return add_parameter(
            function,
            f"{param}: Annotated[{aio}.TaskGroup, Depends({DEPENDENCY})]",
            column=column,
            line_length=settings.line_length,
            unit=unit,
            keyword_only=defaults,
        )

    def declare(self, module: cst.Module, settings: Settings) -> cst.Module:
        """``module`` with the dependency (before its first endpoint taking it) and
        what it and the endpoints import."""
        if not self.gaining:
            return module
        module, aio = ensure_import(module, "asyncio", settings.import_order)
        home = self.home()
        if home is not None and not defines(module, DEPENDENCY):
            return with_imported_dependency(module, home, settings)
        if not defines(module, DEPENDENCY):
            first = next(
                index
                for index, statement in enumerate(module.body)
                if isinstance(statement, cst.FunctionDef)
                and statement.name.value in {f.name.value for f in self.gaining}
            )
            module, _ = with_task_group_dependency(module, first, aio)
        return with_fastapi_imports(module, DEPENDENCY_IMPORTS, settings)
