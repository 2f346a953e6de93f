"""FastAPI shapes: the lifespan an app is given, the endpoints a module declares, and
the dependency through which an endpoint receives the root TaskGroup.

FastAPI reads an endpoint's signature as the request's fields, so an endpoint can take
the TaskGroup only as a dependency: ``tg: Annotated[asyncio.TaskGroup,
Depends(get_task_group)]``, read from ``app.state.task_group``, which the lifespan
that opens the root sets (TG007).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.core.asyncio_names import TASKGROUP_NAMES
from codemods.cst.find import find_all
from codemods.cst.qualified import QualifiedNamesOf

APPLICATIONS = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
ROUTERS = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})
CONTEXT_MANAGERS = frozenset({"contextlib.asynccontextmanager"})
DEPENDS = frozenset({"fastapi.Depends", "fastapi.param_functions.Depends"})
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "api_route"}
)
DEPENDENCY = "get_task_group"
STATE = "task_group"
# The dependency, written once in the module of the endpoints that take it.
DEPENDENCY_CODE = f'''\
def {DEPENDENCY}(request: Request) -> {{aio}}.TaskGroup:
    """The root TaskGroup the lifespan runs, for work a request leaves behind."""
    tg = getattr(request.app.state, "{STATE}", None)
    if not isinstance(tg, {{aio}}.TaskGroup):
        raise HTTPException(status_code=503, detail="the service is not running")
    return tg
'''


@dataclass(frozen=True)
class Lifespan:
    """A FastAPI app's lifespan that opens no TaskGroup yet (TG007 opens its root)."""

    function: cst.FunctionDef
    # The name its app parameter has: where the root exposes the group.
    app: str


def fastapi_lifespan(
    module: cst.Module, qualified: QualifiedNamesOf
) -> Lifespan | None:
    """The ``@asynccontextmanager`` lifespan this module gives ``FastAPI(lifespan=f)``
    when it opens no TaskGroup and its body can be wrapped; None otherwise."""
    names = {
        arg.value.value
        for call in find_all(module, cst.Call)
        if qualified(call.func) & APPLICATIONS
        for arg in call.args
        if arg.keyword is not None
        and arg.keyword.value == "lifespan"
        and isinstance(arg.value, cst.Name)
    }
    for statement in module.body:
        if (
            isinstance(statement, cst.FunctionDef)
            and statement.name.value in names
            and statement.asynchronous is not None
            and isinstance(statement.body, cst.IndentedBlock)
            and statement.params.params
            and any(
                qualified(decorator.decorator) & CONTEXT_MANAGERS
                for decorator in statement.decorators
            )
            and not opens_taskgroup(statement, qualified)
        ):
            return Lifespan(statement, statement.params.params[0].name.value)
    return None


def opens_taskgroup(function: cst.FunctionDef, qualified: QualifiedNamesOf) -> bool:
    """Whether ``function`` has an ``async with asyncio.TaskGroup()`` anywhere."""
    return any(
        isinstance(item.item, cst.Call) and qualified(item.item.func) & TASKGROUP_NAMES
        for statement in find_all(function.body, cst.With)
        for item in statement.items
    )


def route_owners(module: cst.Module, qualified: QualifiedNamesOf) -> frozenset[str]:
    """Module-level names bound to ``FastAPI(...)`` or ``APIRouter(...)``."""
    found: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                value, targets = small.value, [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                value, targets = small.value, [small.target]
            else:
                continue
            if isinstance(value, cst.Call) and qualified(value.func) & (
                APPLICATIONS | ROUTERS
            ):
                found.update(t.value for t in targets if isinstance(t, cst.Name))
    return frozenset(found)


def is_endpoint(function: cst.FunctionDef, owners: frozenset[str]) -> bool:
    """Whether ``function`` is declared a route by ``@<owner>.get(...)`` and the like."""
    return function.asynchronous is not None and any(
        isinstance(decorator.decorator, cst.Call)
        and isinstance(route := decorator.decorator.func, cst.Attribute)
        and isinstance(route.value, cst.Name)
        and route.value.value in owners
        and route.attr.value in ROUTE_METHODS
        for decorator in function.decorators
    )


def takes_taskgroup_dependency(module: cst.Module, qualified: QualifiedNamesOf) -> bool:
    """Whether some code of ``module`` asks for ``Depends(get_task_group)``."""
    return any(
        qualified(call.func) & DEPENDS
        and len(call.args) == 1
        and isinstance(call.args[0].value, cst.Name)
        and call.args[0].value.value == DEPENDENCY
        for call in find_all(module, cst.Call)
    )


def defines(module: cst.Module, name: str) -> bool:
    return any(
        isinstance(statement, (cst.FunctionDef, cst.ClassDef))
        and statement.name.value == name
        for statement in module.body
    )
