"""Where the run's one ``get_task_group`` is defined, for every module that needs it.

An endpoint taking the root TaskGroup (TG003) and a wrapper dependency (TG005) both
ask for ``Depends(get_task_group)``. Written in each module that needs it, the
dependency would be the same block many times; so it is written once, in its *home*,
and the other modules import it. The home is, in this order:

- a module of the run that defines ``get_task_group`` already (returning a TaskGroup)
  and imports none of the modules needing it, directly or not: it is reused;
- a module where TG005 writes a wrapper (so the definition is certainly written
  there) that every other module needing it imports already, directly or not, and
  that imports none of them: importing it once more creates no import cycle.

An endpoint module is never the home: whether TG003 rewrites its endpoints is decided
on its tree, not known here. Without a home, every module defines its own, as the
findings then say. Imports are read from the facts (top-level ones, ``if`` and
``try`` blocks included); a module they name that the run has not indexed is asked
for (``unresolved``), so the next round reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from codemods.analysis import dependencies, passing
from codemods.analysis.symbols import SymbolTable
from codemods.core.asyncio_names import TASKGROUP_NAMES

DEPENDENCY = dependencies.DEPENDENCY


@dataclass(frozen=True, slots=True)
class DependencyHome:
    """Where ``get_task_group`` is defined once the run is over."""

    # The module defining it for all; None: each module needing it defines its own.
    module: str | None
    # The modules needing it (the root's endpoints and the wrappers' modules).
    needers: tuple[str, ...]

    def imported_by(self, module: str) -> str | None:
        """The module ``module`` imports the dependency from (None: it defines it)."""
        return None if self.module in (None, module) else self.module

    def note(self, module: str) -> str:
        """What a finding adds about ``module``'s ``get_task_group``."""
        home = self.imported_by(module)
        if home is not None:
            return f"; `{DEPENDENCY}` is imported from `{home}`, which defines it"
        others = ", ".join(f"`{n}`" for n in self.needers if n != module)
        if self.module == module and others:
            return f"; `{DEPENDENCY}` is written here once, and imported by {others}"
        if self.module is None and others:
            return (
                f"; `{DEPENDENCY}` is written here as in every module needing it "
                f"({others}): no module of the run defines it for them all, and "
                "none of them is imported by all the others without an import cycle"
            )
        return ""


def needing_modules(index: SymbolTable) -> set[str]:
    """The modules whose endpoints may ask for the root, and those where TG005 writes
    a wrapper dependency (which asks for it too)."""
    found = {
        name
        for name, module in index.modules.items()
        if dependencies.ENDPOINT in module.fastapi
    }
    found.update(
        wrapper.module
        for target in sorted(passing.gaining_functions(index))
        if (wrapper := dependencies.dependency_wrapper(index, target))
    )
    return found


def dependency_home(index: SymbolTable) -> DependencyHome:
    """Where the run's ``get_task_group`` is defined (see the module)."""
    needers = needing_modules(index)
    ordered = tuple(sorted(needers))
    for module in sorted(_definitions(index)):
        if not _reaches(index, module, needers - {module}):
            return DependencyHome(module, ordered)
    for module in sorted(_wrapper_modules(index)):
        others = needers - {module}
        if others and all(_reaches(index, other, {module}) for other in others):
            if not _reaches(index, module, others):
                return DependencyHome(module, ordered)
    return DependencyHome(None, ordered)


def _definitions(index: SymbolTable) -> set[str]:
    """Modules defining a top-level ``get_task_group`` that returns a TaskGroup."""
    return {
        name
        for name, module in index.modules.items()
        for function in module.functions
        if function.name == DEPENDENCY
        and function.returns is not None
        and function.returns.name in TASKGROUP_NAMES
    }


def _wrapper_modules(index: SymbolTable) -> set[str]:
    """Modules where TG005 certainly writes a wrapper (its finding not suppressed)."""
    found: set[str] = set()
    for target in sorted(passing.gaining_functions(index)):
        wrapper = dependencies.dependency_wrapper(index, target)
        function = index.functions.get(target)
        if wrapper is not None and function is not None:
            if not function.suppresses(dependencies.TG005):
                found.add(wrapper.module)
    return found


def _reaches(index: SymbolTable, start: str, wanted: set[str]) -> bool:
    """Whether importing ``start`` imports one of ``wanted`` (its packages first)."""
    seen = _packages(index, start) - {start}
    todo = [start, *seen]
    seen.add(start)
    while todo:
        module = todo.pop()
        if module in wanted:
            return True
        for imported in _imports(index, module) - seen:
            seen.add(imported)
            todo.append(imported)
    return False


def _imports(index: SymbolTable, module: str) -> set[str]:
    """The indexed modules the top-level imports of ``module`` run (packages too)."""
    facts = index.modules[module]
    found: set[str] = set()
    for target in [t for _, t in facts.imports] + list(facts.star_imports):
        found |= _packages(index, target)
        if target not in index.modules:
            # A name of another module (or an unindexed module: asked for).
            symbol = index.symbol(target)
            if symbol is not None:
                found |= _packages(index, symbol.name)
    return found


def _packages(index: SymbolTable, name: str) -> set[str]:
    """The indexed modules importing ``name`` runs: each prefix that is one."""
    parts = name.split(".")
    prefixes = (".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return {prefix for prefix in prefixes if prefix in index.modules}
