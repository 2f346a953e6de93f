"""FastAPI shapes: the lifespan an app is given, the endpoints a module declares, and
the dependency through which an endpoint receives the root TaskGroup.

FastAPI reads an endpoint's signature as the request's fields, so an endpoint can take
the TaskGroup only as a dependency: ``tg: Annotated[asyncio.TaskGroup,
Depends(get_task_group)]``, read from ``app.state.task_group``, which the lifespan
that opens the root sets (TG007).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.core.asyncio_names import TASKGROUP_NAMES
from codemods.core.settings import Settings
from codemods.cst.build import code_of, parse_statement
from codemods.cst.find import find_all
from codemods.cst.imports import bound_from_import, ensure_from_import
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

# A dependency FastAPI took as `Depends(f)`, once `f` takes the root TaskGroup.
WRAPPER_CODE = '''\
{prefix}def {wrapper}(
    {param}: Annotated[{aio}.TaskGroup, Depends({dependency})],
) -> {returns}:
    """`{name}()` as a FastAPI dependency: it runs in the root TaskGroup."""
    return {awaiting}{name}({param}={param})
'''
# What the code taking the dependency imports, and what defining it adds.
TAKING_IMPORTS = (("typing", "Annotated"), ("fastapi", "Depends"))
DEPENDENCY_IMPORTS = (
    *TAKING_IMPORTS,
    ("fastapi", "HTTPException"),
    ("fastapi", "Request"),
)


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


def definition(module: cst.Module, name: str) -> int | None:
    """The number of the top-level statement ``def name``, if ``module`` has one."""
    return next(
        (
            number
            for number, statement in enumerate(module.body)
            if isinstance(statement, cst.FunctionDef) and statement.name.value == name
        ),
        None,
    )


def with_definition(
    module: cst.Module, at: int, function: cst.BaseStatement
) -> cst.Module:
    """``module`` with ``function`` as its statement number ``at``, after two blank
    lines."""
    assert isinstance(function, cst.FunctionDef)
    blank = cst.EmptyLine(whitespace=cst.SimpleWhitespace(""))
    body = list(module.body)
    body.insert(at, function.with_changes(leading_lines=[blank, blank]))
    return module.with_changes(body=body)


def with_task_group_dependency(
    module: cst.Module, before: int, aio: str
) -> tuple[cst.Module, int]:
    """``module`` defining ``get_task_group`` before its statement number ``before``
    (moved there if defined further down: an annotation naming it is read where its
    ``def`` runs), and where that statement is now."""
    found = definition(module, DEPENDENCY)
    if found is not None and found < before:
        return module, before
    if found is None:
        dependency = parse_statement(DEPENDENCY_CODE.format(aio=aio), module)
    else:
        body = list(module.body)
        dependency = body.pop(found)
        module = module.with_changes(body=body)
    return with_definition(module, before, dependency), before + 1


def with_imported_dependency(
    module: cst.Module, home: str, settings: Settings
) -> cst.Module:
    """``module`` importing ``get_task_group`` from the module ``home`` defining it
    for the run, and what taking it needs."""
    module, _ = ensure_from_import(
        module,
        home,
        DEPENDENCY,
        line_length=settings.line_length,
        order=settings.import_order,
        project=True,
    )
    return with_fastapi_imports(module, TAKING_IMPORTS, settings)


def with_fastapi_imports(
    module: cst.Module, names: Sequence[tuple[str, str]], settings: Settings
) -> cst.Module:
    """``module`` importing ``names`` (``(source, name)``): into its ``from fastapi
    import`` if it has one, else as a new section after its standard library's (where
    isort puts a third-party import, before the project's own)."""
    order, length = settings.import_order, settings.line_length
    if bound_from_import(module, "fastapi", "Depends") is None and not any(
        isinstance(small, cst.ImportFrom)
        and small.module is not None
        and not small.relative
        and code_of(small.module) == "fastapi"
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
    ):
        wanted = sorted(name for source, name in names if source == "fastapi")
        module = _new_section(module, f"from fastapi import {', '.join(wanted)}")
    for source, name in names:
        module, _ = ensure_from_import(
            module, source, name, line_length=length, order=order
        )
    return module


def _new_section(module: cst.Module, code: str) -> cst.Module:
    body = list(module.body)
    imports = [
        number
        for number, statement in enumerate(body)
        if isinstance(statement, cst.SimpleStatementLine)
        and any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
    ]
    stdlib = [n for n in imports if _stdlib_only(body[n])]
    at = (stdlib or imports or [-1])[-1] + 1
    parsed = cst.parse_statement(code, module.config_for_parsing)
    assert isinstance(parsed, cst.SimpleStatementLine)
    blank = cst.EmptyLine(whitespace=cst.SimpleWhitespace(""))
    statement = parsed.with_changes(leading_lines=[blank] if imports else [])
    if at < len(body) and at in imports:
        following = body[at].with_changes(leading_lines=[blank])
        body[at] = following
    body.insert(at, statement)
    return module.with_changes(body=body)


def _stdlib_only(statement: cst.BaseStatement) -> bool:
    assert isinstance(statement, cst.SimpleStatementLine)
    tops: list[str] = []
    for small in statement.body:
        if isinstance(small, cst.Import):
            tops.extend(code_of(alias.name) for alias in small.names)
        elif isinstance(small, cst.ImportFrom):
            source = small.module
            tops.append("." if small.relative or source is None else code_of(source))
    return all(top.split(".")[0] in sys.stdlib_module_names for top in tops)
