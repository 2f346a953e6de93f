"""FastAPI dependencies that gain a TaskGroup: ``Depends(f)`` repointed to a wrapper.

A function taken as a value keeps its signature (``taken.py``), since whoever receives
it chooses its arguments. FastAPI's ``Depends(f)`` is the one receiver the run can
keep whole: next to ``f`` (which TG001/TG003 give ``tg``) TG005 writes a dependency
that takes the root TaskGroup the way converted endpoints do and passes it on::

    async def get_limiter_dependency(
        tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)],
    ) -> Limiter:
        return await get_limiter(tg=tg)

and points every ``Depends(get_limiter)`` of the run at it. That wrapper is a caller
passing a TaskGroup, so ``f`` may gain the parameter (``passing.py``). It is written
only where every piece can be: every value use of ``f`` is a plain ``Depends(f)``, ``f``
is a module-level function FastAPI gives no argument (no parameters, no ``yield``, not
decorated) whose return annotation the wrapper repeats, the wrapper's name is free, and
the run opens one FastAPI root that exposes the group (TG007, with TG003) and passes
it (TG005).
Otherwise ``why_not_wrapped`` says which piece is missing, and ``f`` keeps its
signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from codemods.analysis.symbols import SymbolTable
from codemods.analysis.taken import only_as_dependency, taken_as_value, uses

# `fastapi_roles.ROOT`/`ENDPOINT` and `cst.fastapi.DEPENDENCY`, spelled here: those
# modules import LibCST, which the parent of a warm run must not.
ROOT, ENDPOINT, DEPENDENCY = "root", "endpoint", "get_task_group"
# TG003 too: TG007 exposes the root to the endpoints only with it.
TG003, TG005, TG007 = "TG003", "TG005", "TG007"
SUFFIX = "_dependency"


@dataclass(frozen=True, slots=True)
class DependencyWrapper:
    """The dependency TG005 writes for ``function`` (``pkg.mod.f``) in its module."""

    function: str
    name: str
    # The `Depends(f)` it takes the place of, as ``path:line (how)``.
    places: tuple[str, ...]

    @property
    def module(self) -> str:
        return self.function.rpartition(".")[0]


def dependency_wrapper(index: SymbolTable, target: str) -> DependencyWrapper | None:
    """The wrapper through which FastAPI calls ``target`` once the run is over, when
    every piece of it can be written (see the module)."""
    judged = _judge(index, target)
    return judged if isinstance(judged, DependencyWrapper) else None


def why_not_wrapped(index: SymbolTable, target: str) -> str | None:
    """Why ``target``, which only ``Depends()`` takes as a value, gets no wrapper (to
    follow "cannot take a TaskGroup: "); None when it gets one or is taken otherwise."""
    judged = _judge(index, target)
    return judged if isinstance(judged, str) else None


def _judge(index: SymbolTable, target: str) -> DependencyWrapper | str | None:
    if not only_as_dependency(index, target):
        return None  # not taken, or taken by more than `Depends()`
    places = taken_as_value(index, target)
    module, _, name = target.rpartition(".")
    function = index.functions.get(target)
    if function is None or module not in index.modules:
        return "it is not a module-level function, the only kind the run wraps"
    missing = [code for code in (TG003, TG005, TG007) if code not in index.scope.codes]
    if missing:
        return (
            f"select {', '.join(missing)} too, and `Depends({name})` is repointed to "
            "a wrapper passing it the root TaskGroup"
        )
    roots = [m for m in index.modules.values() if ROOT in m.fastapi]
    if len(roots) != 1:
        return (
            f"the run has {'no' if not roots else len(roots)} FastAPI lifespans "
            f"where TG007 opens the root, so no `{DEPENDENCY}` to wrap it with"
        )
    if function.generator or function.decorated or not function.is_async:
        return "only an undecorated `async def` without `yield` is wrapped"
    if function.parameters:
        given = ", ".join(f"`{p}`" for p in function.parameters)
        return f"FastAPI fills its parameters ({given}), which a wrapper would hide"
    if function.returns is None:
        return "it has no return annotation (a class) for the wrapper to repeat"
    unwritable = _unwritable_use(index, target)
    if unwritable is not None:
        return unwritable
    wrapper = f"{name}{SUFFIX}"
    facts = index.modules[module]
    bound = {f.name for f in facts.functions} | {c.name for c in facts.classes}
    bound |= {n for n, _ in facts.variables} | {n for n, _ in facts.imports}
    if wrapper in bound:
        return f"`{wrapper}` is already bound in its module"
    return DependencyWrapper(target, wrapper, places)


def _unwritable_use(index: SymbolTable, target: str) -> str | None:
    """Why some ``Depends(f)`` could not be pointed at the wrapper: it names ``f``
    through an alias or a re-export, or, in another module, through no top-level
    ``from m import f`` nor ``from pkg import m`` (which TG005 rewrites)."""
    module, _, name = target.rpartition(".")
    by_path = {facts.path: facts for facts in index.modules.values()}
    for path, use in uses(index, target):
        where = f"{path}:{use.line}"
        if use.ref is None or use.ref.name != target or use.name != name:
            return f"`Depends()` at {where} names it through an alias or a re-export"
        facts = by_path.get(path)
        if facts is None or facts.name == module:
            continue
        imported = dict(facts.imports)
        if imported.get(name) != target and module not in imported.values():
            return f"`Depends()` at {where} names it through an import TG005 cannot rewrite"
    return None
