"""The words that make a file not parsed yet relevant, once the index knows more.

A call of a converted ``start`` must reach its receiver through something the file
spells: the class (or a subclass), a factory returning it, a module-level instance, a
class holding one in an attribute, or an alias or re-export of any of them. Their names
are the next round's triggers. Names the index cannot resolve while working this out are
not asked for: only a codemod's questions pull in further modules. A function whose
signature gains a TaskGroup parameter is a trigger too: a file taking it as a value
(``Depends(f)``) keeps it from changing. And where modules need ``get_task_group``,
so is its name: a module defining it already is reused.
"""

from __future__ import annotations

from codemods.analysis.dependency_home import DEPENDENCY, needing_modules
from codemods.analysis.facts import FunctionFacts
from codemods.analysis.families import families
from codemods.analysis.symbols import SymbolTable
from codemods.analysis.trackers import companion_names

TG006 = "TG006"


def converted_classes(index: SymbolTable) -> set[str]:
    """Classes whose lifecycle method TG002 makes async, and their subclasses."""
    members: set[str] = set()
    for method in index.scope.lifecycle_methods:
        for family in families(index, method).values():
            if family.converts and family.problem is None:
                members.update(family.members)
    return {name for name in index.classes if members.intersection(index.mro(name))}


def dynamic_triggers(index: SymbolTable) -> frozenset[bytes]:
    quiet, index.quiet = index.quiet, True
    try:
        converted = converted_classes(index)
        targets = set(converted)
        relevant: set[str] = set()
        if TG006 in index.scope.codes:
            relevant.update(_coroutine_functions(index))
            functions, classes = _coroutine_callees(index)
            relevant.update(functions)
            targets |= classes
        reaching = _reaching(index, targets)
        relevant.update(reaching)
        if converted:
            # Every use of a converting method must be seen, whatever its receiver
            # (``families.blocking_uses``): the files naming the method.
            relevant.update(index.scope.lifecycle_methods)
        # A function gaining a TaskGroup parameter keeps its signature where some
        # module takes it as a value (``taken.py``): the files naming it tell.
        relevant.update(_gaining(index))
        relevant.update(
            name
            for name, function in index.functions.items()
            if function.returns is not None
            and index.class_of(function.returns) in reaching
        )
        relevant.update(
            name
            for name, ref in index.variables.items()
            if index.class_of(ref) in reaching or index.class_named(name) in reaching
        )
        # Whether a tracker's module is still used reads every file naming it.
        relevant.update(companion_names(index))
        if needing_modules(index):
            # A module defining `get_task_group` already is reused by those needing
            # it (``dependency_home.py``): the files naming it tell.
            relevant.add(DEPENDENCY)
        for name in index.imports:
            found = index.symbol(name)
            if found is not None and found.name in relevant:
                relevant.add(name)
    finally:
        index.quiet = quiet
    # A private name (`_manager`) is used in the module defining it, already parsed;
    # as a word it would only match unrelated files.
    words = {name.rpartition(".")[2] for name in relevant}
    return frozenset(word.encode() for word in words if not word.startswith("_"))


def _gaining(index: SymbolTable) -> set[str]:
    """Functions, methods and classes whose signature a per-file codemod changes."""
    found = {name for name, f in index.functions.items() if f.gains_taskgroup}
    for name, klass in index.classes.items():
        if klass.init_gains_via:
            found.add(name)
        found.update(f"{name}.{m.name}" for m in klass.methods if m.gains_taskgroup)
    return found


def _coroutine_functions(index: SymbolTable) -> set[str]:
    """The lifecycle methods that are coroutine functions: a migration leaves their
    callers behind, which TG006 checks wherever they are, whatever the receiver.
    (Another coroutine method is reached through its class, ``_coroutine_callees``:
    its own name would be too common a word.)"""
    methods = set(index.scope.lifecycle_methods)
    return {
        method.name
        for facts in index.classes.values()
        for method in facts.methods
        if method.is_async and method.name in methods
    }


def _coroutine_callees(index: SymbolTable) -> tuple[set[str], set[str]]:
    """The module-level coroutine functions, and the classes with a coroutine method
    (their subclasses too): TG006 checks their callers in every module, which must
    spell one of them (or what leads to a class) to call it."""
    functions = {
        name for name, function in index.functions.items() if _coroutine(function)
    }
    owners = {
        name
        for name, facts in index.classes.items()
        if any(_coroutine(method) for method in facts.methods)
    }
    classes = {name for name in index.classes if owners.intersection(index.mro(name))}
    return functions, classes


def _coroutine(function: FunctionFacts) -> bool:
    return function.is_async and not (function.generator or function.decorated)


def _reaching(index: SymbolTable, converted: set[str]) -> set[str]:
    """``converted`` and every class whose attributes or methods lead to one of them."""
    reaching = set(converted)
    changed = True
    while changed:
        changed = False
        for name, facts in index.classes.items():
            if name in reaching:
                continue
            refs = [ref for _, ref in facts.attributes]
            refs += [m.returns for m in facts.methods if m.returns is not None]
            if any(index.class_of(ref) in reaching for ref in refs):
                reaching.add(name)
                changed = True
    return reaching
