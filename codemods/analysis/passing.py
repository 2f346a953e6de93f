"""Who takes a TaskGroup once the run is over, and who passes it: no dead plumbing.

A per-file codemod (TG003) gives a coroutine function that spawns a ``tg`` parameter
(a class's ``__init__`` too, keeping it as ``self.tg``) only where some caller in the
run passes one (TG005 writes the passing): a caller holding a TaskGroup, that is, a
call inside ``async with asyncio.TaskGroup()``, or in a function that has a TaskGroup
parameter, that is an entry point where TG007 opens the root, that TG002 converts, or
that gains the parameter itself (worked out to a fixed point). Elsewhere its spawns keep
only the strong-reference fallback, and no signature changes. A function taken as a
value (``taken.py``) never gains it, but for one FastAPI takes only as ``Depends(f)``:
the wrapper dependency TG005 writes for it passes the root (``dependencies.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from codemods.analysis.dependencies import dependency_wrapper
from codemods.analysis.facts import CallSite, FunctionFacts
from codemods.analysis.families import (
    TG001,
    GroupParameter,
    converted_by_lifecycle,
    dangling_task_group,
    families,
)
from codemods.analysis.symbols import Callee, SymbolTable
from codemods.analysis.taken import taken_as_value

# (the function's key, its facts, the module path), for every indexed function.
Defined = tuple[str, FunctionFacts, str]


def taskgroup_parameter(index: SymbolTable, callee: Callee) -> GroupParameter | None:
    """The TaskGroup parameter ``callee`` has once every selected codemod has run."""
    function = callee.function
    existing = function.taskgroup_param
    if existing is not None:
        position = (
            function.positional.index(existing)
            if existing in function.positional
            else None
        )
        return GroupParameter(existing, position, callee.display)
    param = index.scope.taskgroup_param
    if param in function.parameters:
        return None
    group = _gaining_group(index, callee)
    if group is None:
        return None
    # TG001 (which runs first) adds it keyword-only; TG002 and TG003 as the last
    # plain parameter.
    keyword_only = TG001 in function.gains_taskgroup or function.var_positional
    position = None if keyword_only else len(function.positional)
    return GroupParameter(param, position, callee.display, group)


def taskgroup_callers(index: SymbolTable, target: str) -> tuple[str, ...]:
    """Where a caller passes a TaskGroup to ``target`` (``pkg.mod.f``,
    ``pkg.mod.Class.method``, ``pkg.mod.Class.__init__``) once the run is over, as
    ``path:line``: empty, and the per-file codemods give it no parameter."""
    return _solved(index)[1].get(target, ())


def gaining_functions(index: SymbolTable) -> set[str]:
    """The functions, methods and constructors gaining a TaskGroup parameter."""
    return _solved(index)[0]


def _key(callee: Callee) -> str | None:
    if callee.constructs is not None:
        return f"{callee.constructs}.__init__"
    if callee.definer is not None:
        return f"{callee.definer}.{callee.function.name}"
    return callee.qualified


def _defined(index: SymbolTable) -> Iterator[Defined]:
    for name, module in index.modules.items():
        for function in module.functions:
            yield f"{name}.{function.name}", function, module.path
        for klass in module.classes:
            for method in klass.methods:
                yield f"{name}.{klass.name}.{method.name}", method, module.path


# The functions gaining a TaskGroup parameter, who passes it to each, and the classes
# whose converted lifecycle method keeps it as ``self.tg`` for their other methods.
Solved = tuple[set[str], dict[str, tuple[str, ...]], set[str]]


def _solved(index: SymbolTable) -> Solved:
    key = "passing"
    if key not in index._caches:
        quiet, index.quiet = index.quiet, True
        try:
            index._caches[key] = _solve(index)
        finally:
            index.quiet = quiet
    solved: Solved = index._caches[key]
    return solved


def _solve(index: SymbolTable) -> Solved:
    defined = list(_defined(index))
    callers: dict[str, list[tuple[str, CallSite, str]]] = {}
    holders: set[str] = set()
    # Classes a lifecycle method of which TG002 converts: it may keep its `tg` as
    # `self.tg`, so their other methods hold one (possibly None) to pass on.
    started: set[str] = set()
    for name, function, path in defined:
        if function.taskgroup_param is not None or function.entry:
            holders.add(name)
        owner = name.rpartition(".")[0]
        if owner in index.classes and converted_by_lifecycle(index, owner, function):
            holders.add(name)
            started.add(owner)
        for site in function.calls:
            callee = index.callee(site.callee)
            target = None if callee is None else _key(callee)
            if target is not None:
                callers.setdefault(target, []).append((name, site, path))

    def passes(caller: str, site: CallSite) -> bool:
        return (
            site.grouped
            or caller in holders
            or caller in gaining
            or caller.rpartition(".")[0] in started
            or _keeps(index, caller, gaining)
        )

    candidates = _candidates(index, defined)
    # The wrapper dependency of a function FastAPI takes as `Depends(f)` passes it one.
    wrapped = {
        target: wrapper.places
        for target in candidates
        if (wrapper := dependency_wrapper(index, target)) is not None
    }
    gaining: set[str] = set(wrapped)
    changed = True
    while changed:
        changed = False
        for target in sorted(candidates - gaining):
            if _keeps(index, target, gaining) or any(
                passes(caller, site) for caller, site, _ in callers.get(target, ())
            ):
                gaining.add(target)
                changed = True
    passing = {
        target: tuple(
            sorted(
                {
                    f"{path}:{site.line}"
                    for caller, site, path in callers.get(target, ())
                    if passes(caller, site)
                }
                | {place.partition(" ")[0] for place in wrapped.get(target, ())}
            )
        )
        for target in gaining
    }
    storing = {
        caller.rpartition(".")[0]
        for target in gaining
        for caller, site, _ in callers.get(target, ())
        if caller.rpartition(".")[0] in started
        and caller not in holders
        and caller not in gaining
        and not site.grouped
    }
    return gaining, passing, storing


def keeps_taskgroup(index: SymbolTable, owner: str) -> bool:
    """Whether class ``owner`` keeps a TaskGroup as ``self.tg`` once the run is over,
    for its methods to pass on: its ``__init__`` gains it (TG003), or its converted
    lifecycle method keeps it (``keeps_started_taskgroup``)."""
    gaining, _, storing = _solved(index)
    return owner in storing or f"{owner}.__init__" in gaining


def keeps_started_taskgroup(index: SymbolTable, owner: str) -> bool:
    """Whether class ``owner``'s lifecycle method, which TG002 converts, keeps the
    TaskGroup it is given as ``self.tg``: another method of the class passes it on
    (``Dispatcher._deliver`` calling ``bus.emit(..., tg=self.tg)``)."""
    return owner in _solved(index)[2]


def _keeps(index: SymbolTable, target: str, gaining: set[str]) -> bool:
    """Whether ``target`` is a method of a class keeping ``self.tg``: its
    ``__init__`` gains the parameter, or has a TaskGroup parameter already. Such a
    method takes one too, for callers holding a group (TG003's shape)."""
    owner, _, name = target.rpartition(".")
    klass = index.classes.get(owner)
    if klass is None or name == "__init__":
        return False
    if f"{owner}.__init__" in gaining:
        return True
    init = klass.method("__init__")
    return init is not None and init.taskgroup_param is not None


def _candidates(index: SymbolTable, defined: list[Defined]) -> set[str]:
    """Functions and constructors a per-file codemod would give the parameter, if
    some caller passes one; never one taken as a value."""
    found = {
        name
        for name, function, _ in defined
        if function.gains_taskgroup
        and (
            not taken_as_value(index, name)
            or dependency_wrapper(index, name) is not None
        )
    }
    for owner, klass in index.classes.items():
        constructor = f"{owner}.__init__"
        if taken_as_value(index, constructor):
            continue
        # TG002 converts the spawns of the methods it makes async before TG003 runs;
        # a coroutine method taken as a value spawns with a strong reference only (it
        # would take the parameter too); a synchronous one (a callback) uses
        # `self.tg` alone.
        if any(
            (method := klass.method(name)) is not None
            and not converted_by_lifecycle(index, owner, method)
            and not (method.is_async and taken_as_value(index, f"{owner}.{name}"))
            for name in klass.init_gains_via
        ):
            found.add(constructor)
    return found


def _gaining_group(index: SymbolTable, callee: Callee) -> str | None:
    """The group of the fix giving ``callee`` the TaskGroup parameter, if one does."""
    function = callee.function
    definer = callee.definer
    # TG002 runs first: what it converts, TG003 finds converted.
    if definer is not None and converted_by_lifecycle(index, definer, function):
        return families(index, function.name)[definer].group
    gaining = _solved(index)[0]
    key = _key(callee)
    if key is None or key not in gaining:
        return None
    if callee.constructs is not None:
        return dangling_task_group(callee.constructs)
    return dangling_task_group(definer if definer is not None else key)
