"""What part a module plays in a FastAPI application's root TaskGroup, collected with
its facts (the endpoints and the lifespan are usually in different modules).

- ``"root"``: it defines an ``@asynccontextmanager`` lifespan for a FastAPI app (its
  app parameter annotated ``FastAPI``, or given as ``FastAPI(lifespan=f)`` there) that
  opens no TaskGroup yet: TG007 opens the root in it.
- ``"endpoint"``: a route of a ``FastAPI()`` or ``APIRouter()`` it binds spawns a task
  (TG003 gives it the root as a dependency), or already asks for
  ``Depends(get_task_group)``: TG007 then exposes the root as ``app.state.task_group``.

Read from the module's ``ast``, like the value uses: facts may come from a text whose
function bodies are elided. The test for ``"endpoint"`` is broader than TG003's (any
spawn-like call), so that the root is exposed wherever an endpoint may take it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from codemods.analysis.syntax import Syntax, dotted
from codemods.core.asyncio_names import TASKGROUP_NAMES
from codemods.core.noqa import NoqaMap
from codemods.cst.fastapi import (
    APPLICATIONS,
    CONTEXT_MANAGERS,
    DEPENDENCY,
    DEPENDS,
    ROUTE_METHODS,
    ROUTERS,
)
from codemods.cst.module_names import ModuleNames

ROOT, ENDPOINT = "root", "endpoint"
_SPAWNS = frozenset({"create_task", "ensure_future"})
FASTAPI_PACKAGE = "fastapi"  # of every name in APPLICATIONS and ROUTERS
_Absolute = Callable[[ast.expr], "str | None"]


def fastapi_roles(
    syntax: Syntax, names: ModuleNames, ignored: frozenset[str]
) -> tuple[str, ...]:
    """The roles (``ROOT``, ``ENDPOINT``) the module's top-level code plays;
    ``ignored``: the codes its ``per-file-ignores`` suppress."""
    tree = syntax.tree
    if tree is None or not _may_name_fastapi(syntax.text, names):
        return ()
    # A lifespan whose TG007 finding is suppressed is not rooted, so not a root.
    noqa = NoqaMap.of(syntax.text, ignored)

    def absolute(node: ast.expr) -> str | None:
        spelled = dotted(node)
        return None if spelled is None else names.absolute(spelled)

    lifespans: set[str] = set()
    owners: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and absolute(node.func) in APPLICATIONS:
            lifespans.update(
                k.value.id
                for k in node.keywords
                if k.arg == "lifespan" and isinstance(k.value, ast.Name)
            )
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and isinstance(
            statement.value, ast.Call
        ):
            if absolute(statement.value.func) in APPLICATIONS | ROUTERS:
                targets = (
                    statement.targets
                    if isinstance(statement, ast.Assign)
                    else [statement.target]
                )
                owners.update(t.id for t in targets if isinstance(t, ast.Name))
    roles: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, ast.AsyncFunctionDef):
            continue
        if _is_root(statement, lifespans, absolute) and not noqa.suppresses(
            statement.lineno, "TG007"
        ):
            roles.add(ROOT)
        if _is_endpoint(statement, owners, absolute):
            roles.add(ENDPOINT)
    return tuple(sorted(roles))


def _may_name_fastapi(text: str, names: ModuleNames) -> bool:
    """Whether a name of the module may be one of FastAPI's: every role needs an
    application or a router, which only an import spelling the package's name, or a
    relative one in the package itself, can bind."""
    package = FASTAPI_PACKAGE
    return package in text or names.module_name.partition(".")[0] == package


def _is_root(
    function: ast.AsyncFunctionDef, lifespans: set[str], absolute: _Absolute
) -> bool:
    params = function.args.posonlyargs + function.args.args
    if not params or not any(
        absolute(d) in CONTEXT_MANAGERS for d in function.decorator_list
    ):
        return False
    annotation = params[0].annotation
    given = function.name in lifespans or (
        annotation is not None and absolute(annotation) in APPLICATIONS
    )
    one_line = function.body[0].lineno == function.lineno
    opens = any(
        isinstance(item.context_expr, ast.Call)
        and absolute(item.context_expr.func) in TASKGROUP_NAMES
        for node in ast.walk(function)
        if isinstance(node, ast.AsyncWith)
        for item in node.items
    )
    return given and not one_line and not opens


def _is_endpoint(
    function: ast.AsyncFunctionDef, owners: set[str], absolute: _Absolute
) -> bool:
    routed = any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and d.func.attr in ROUTE_METHODS
        and isinstance(d.func.value, ast.Name)
        and d.func.value.id in owners
        for d in function.decorator_list
    )
    return routed and any(
        isinstance(node, ast.Call)
        and (
            (dotted(node.func) or "").rpartition(".")[2] in _SPAWNS
            or (
                absolute(node.func) in DEPENDS
                and any(
                    isinstance(a, ast.Name) and a.id == DEPENDENCY for a in node.args
                )
            )
        )
        for node in ast.walk(function)
    )
