"""The legacy tracker, as the project index knows it: what its definition does beyond
keeping a strong reference (TG001's fallback keeps calling a tracker that does more),
and who still uses it. No LibCST here: the parent builds the index; the facts come
from ``tracker_definition.py``, collected with the module defining the tracker.
"""

from __future__ import annotations

from codemods.analysis.facts import FunctionFacts
from codemods.analysis.symbols import SymbolTable


def definition(index: SymbolTable, tracker: str) -> tuple[str, FunctionFacts] | None:
    """Where tracker ``tracker`` (an absolute name, through re-exports) is defined."""
    found = index.symbol(tracker)
    if found is None or found.kind != "function":
        return None
    return found.name, index.functions[found.name]


def extras(index: SymbolTable, tracker: str) -> tuple[str, ...] | None:
    """What the tracker does beyond a strong reference; None: its definition is not
    in the run (or not one the collector read as a tracker)."""
    found = definition(index, tracker)
    return None if found is None else found[1].tracker_extras


def users(index: SymbolTable, tracker: str) -> tuple[str, ...]:
    """The modules outside the tracker's own that import it, a function of its
    module, the module itself (``import app.tasks``, ``from app import tasks``) or a
    package holding it (``import app``)."""
    found = definition(index, tracker)
    if found is None:
        return ("(its definition is not in this run)",)
    home = found[0].rpartition(".")[0]
    prefix = f"{home}."
    using = []
    for name, module in sorted(index.modules.items()):
        if name == home:
            continue
        targets = [target for _, target in module.imports]
        # `import app` may reach `app.tasks.track_task` too.
        if home in module.star_imports or any(
            target == home or target.startswith(prefix) or home.startswith(f"{target}.")
            for target in targets
        ):
            using.append(module.path or name)
    return tuple(using)


def companion_names(index: SymbolTable) -> set[str]:
    """The functions of the modules defining a tracker: a file spelling one may use
    it, so its facts must be in the index before anyone says the module is unused."""
    homes = {
        name.rpartition(".")[0]
        for name, function in index.functions.items()
        if function.tracker_extras is not None
    }
    return {
        f"{home}.{function.name}"
        for home in homes
        if home in index.modules
        for function in index.modules[home].functions
    }
