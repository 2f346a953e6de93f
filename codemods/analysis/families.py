"""Lifecycle families (TG002) and who accepts a TaskGroup after the run (TG005).

A *family* is a lifecycle method (``start``) together with every override of it in
the project: a base's ``start`` and a subclass's must stay both synchronous or both
async, so they convert together, or not at all. A family converts when one of its
synchronous members spawns background tasks, unless something makes that unsafe (a
member marked ``noqa: TG002``, an ancestor from outside the project whose ``start`` it
may override).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from codemods.analysis.blocking import blocking_uses
from codemods.analysis.facts import FunctionFacts
from codemods.analysis.symbols import Callee, SymbolTable

TG001 = "TG001"
TG002 = "TG002"
TG003 = "TG003"
# Bases from outside the project that certainly define no lifecycle method.
SAFE_BASES = frozenset(
    {
        "builtins.object",
        "abc.ABC",
        "typing.Generic",
        "typing.Protocol",
        "typing_extensions.Protocol",
    }
)


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """How TG002 treats one definition of a lifecycle method."""

    group: str
    # Why the family cannot be converted (reported, nothing changed), if it cannot,
    # and the member it is about (``Class.method``).
    problem: str | None = None
    culprit: str | None = None


@dataclass(frozen=True, slots=True)
class LifecycleCall:
    """A call of a lifecycle method TG002 makes async."""

    group: str
    target: str


@dataclass(frozen=True, slots=True)
class GroupParameter:
    """A callee's TaskGroup parameter, as it is once the run is over."""

    name: str
    # Its index among the positional arguments; None when it is keyword-only.
    position: int | None
    target: str
    # The group of the fix that adds the parameter in this run, if one does: passing
    # the TaskGroup must be accepted together with it.
    group: str | None = None


@dataclass(frozen=True)
class Family:
    method: str
    root: str
    members: tuple[str, ...]
    converts: bool
    problem: str | None
    culprit: str | None

    @property
    def group(self) -> str:
        return f"{TG002}:{self.root}.{self.method}"


def _short(name: str) -> str:
    return name.rpartition(".")[2]


def families(index: SymbolTable, method: str) -> dict[str, Family]:
    """The family of each class that defines ``method``, by class (computed once)."""
    key = "families"
    if key not in index._caches:
        index._caches[key] = _with_uses(
            index,
            {name: _families(index, name) for name in index.scope.lifecycle_methods},
        )
    every: dict[str, dict[str, Family]] = index._caches[key]
    if method not in every:
        every[method] = _families(index, method)
    return every[method]


def _with_uses(
    index: SymbolTable, every: dict[str, dict[str, Family]]
) -> dict[str, dict[str, Family]]:
    """The families, those that some use in the repository cannot follow blocked."""
    converting = {
        family.group: (family.method, frozenset(family.members))
        for by_class in every.values()
        for family in by_class.values()
        if family.converts and family.problem is None
    }
    blocked = blocking_uses(index, converting)
    if not blocked:
        return every
    return {
        method: {
            name: _blocked(family, blocked[family.group])
            if family.group in blocked and family.problem is None
            else family
            for name, family in by_class.items()
        }
        for method, by_class in every.items()
    }


def _blocked(family: Family, places: tuple[str, ...]) -> Family:
    problem = f"is used where a coroutine cannot follow: {', '.join(places)}"
    return replace(
        family, problem=problem, culprit=f"{_short(family.root)}.{family.method}"
    )


def _families(index: SymbolTable, method: str) -> dict[str, Family]:
    members = {
        name
        for name, facts in index.classes.items()
        if (found := facts.method(method)) is not None and found.kind == "method"
    }
    parent = {name: name for name in members}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    tops: set[str] = set()
    for name in sorted(members):
        # The members it overrides: the first definition up each base's ancestry.
        overridden = {
            first
            for _, base in index.bases(name)
            if base is not None and (first := _first_member(index, base, members))
        }
        if not overridden:
            tops.add(name)
        for other in overridden:
            parent[root(other)] = root(name)
    components: dict[str, list[str]] = {}
    for name in sorted(members):
        components.setdefault(root(name), []).append(name)
    result: dict[str, Family] = {}
    for group in components.values():
        family = _family(index, method, tuple(group), min(tops & set(group) or group))
        result.update((name, family) for name in group)
    return result


def _first_member(index: SymbolTable, start: str, members: set[str]) -> str | None:
    return next((k for k in index.mro(start) if k in members), None)


def _family(
    index: SymbolTable, method: str, members: tuple[str, ...], root: str
) -> Family:
    facts = {name: index.classes[name].method(method) for name in members}
    converts = TG002 in index.scope.codes and any(
        f is not None and not f.is_async and f.spawns for f in facts.values()
    )
    found = _problem(index, method, facts) if converts else None
    problem, culprit = found if found is not None else (None, None)
    return Family(method, root, members, converts, problem, culprit)


def _problem(
    index: SymbolTable, method: str, facts: dict[str, FunctionFacts | None]
) -> tuple[str, str] | None:
    """Why the family cannot convert, and the member (``Class.method``) it is about."""
    param = index.scope.taskgroup_param
    safe = SAFE_BASES | set(index.scope.safe_bases)
    for name, function in sorted(facts.items()):
        member = f"{_short(name)}.{method}"
        if function is None:
            continue
        if function.generator:
            return (
                "is a generator-based coroutine (`@asyncio.coroutine`, "
                "`@types.coroutine` or `yield`), whose body `async def` cannot hold",
                member,
            )
        if function.decorated:
            return (
                "is decorated: whoever the decorator hands it to (a framework, a "
                "registry) calls it as it is, without `await` or a TaskGroup",
                member,
            )
        if _public_api(index, name, method):
            return (
                "is public API of this distribution: callers outside the repository "
                "would call it without await; to convert it, set "
                f"`convert-public-api = true` in `[tool.codemods.{TG002}]`",
                member,
            )
        if function.suppresses(TG002):
            return (
                "is marked `noqa: TG002` (on its `def` or a spawn line), and the "
                "family converts together",
                member,
            )
        if param in function.parameters and function.taskgroup_param != param:
            return f"already has a `{param}` parameter that is not a TaskGroup", member
        for klass in index.mro(name):
            for written, known in index.bases(klass):
                if known is None and written not in safe:
                    outside = f"`{written}`" if written else "a base it cannot resolve"
                    reason = (
                        f"may override a method of {outside}, from outside the "
                        "project, whose callers would not await it"
                    )
                    return reason, member
    return None


def _public_api(index: SymbolTable, klass: str, method: str) -> bool:
    """Whether ``klass.method`` is a distribution's public API that stays as it is:
    no part of its name private, not in a test module, not configured to convert."""
    scope = index.scope
    if not scope.distribution or scope.convert_public_api:
        return False
    parts = [*klass.split("."), method]
    if any(part.startswith("_") for part in parts):
        return False
    return not any(
        part in ("test", "tests", "conftest")
        or part.startswith("test_")
        or part.endswith("_test")
        for part in parts[:-2]
    )


def lifecycle(index: SymbolTable, owner: str, method: str) -> Lifecycle | None:
    family = families(index, method).get(owner)
    if family is None or not family.converts:
        return None
    return Lifecycle(family.group, family.problem, family.culprit)


def lifecycle_call(index: SymbolTable, owner: str, method: str) -> LifecycleCall | None:
    """The conversion a call of ``method`` on an instance of ``owner`` follows."""
    found = index.method(owner, method)
    if found is None:
        return None
    definer, function = found
    family = families(index, method).get(definer)
    if (
        family is None
        or not family.converts
        or family.problem is not None
        or function.is_async
    ):
        return None
    return LifecycleCall(family.group, f"{_short(definer)}.{method}")


def converted_by_lifecycle(
    index: SymbolTable, owner: str, function: FunctionFacts
) -> bool:
    """Whether TG002 makes this method of class ``owner`` async (with ``tg``)."""
    if function.name not in index.scope.lifecycle_methods or function.is_async:
        return False
    family = families(index, function.name).get(owner)
    return family is not None and family.converts and family.problem is None


def coroutine_function(index: SymbolTable, callee: Callee | None) -> str | None:
    """``callee``'s name when calling it gives a coroutine once the run is over."""
    if callee is None or callee.constructs is not None:
        return None
    function = callee.function
    if function.decorated or function.kind == "property":
        return None
    if function.is_async:
        return None if function.generator else callee.display
    definer = callee.definer
    if definer is not None and converted_by_lifecycle(index, definer, function):
        return callee.display
    return None


def dangling_task_group(owner: str) -> str:
    """The group of TG003's fixes that add a TaskGroup parameter in ``owner``.

    ``owner`` is the class whose methods (and ``__init__``) take the parameter, or the
    module-level function that does: those fixes share the stored TaskGroup.
    """
    return f"{TG003}:{owner}"
