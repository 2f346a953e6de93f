"""Which functions and methods the repository takes as values (``facts.ValueUse``):
their signatures must stay as they are, since whoever receives them calls them."""

from __future__ import annotations

from codemods.analysis.facts import Ref, ValueUse
from codemods.analysis.symbols import SymbolTable


def taken_as_value(index: SymbolTable, target: str) -> tuple[str, ...]:
    """Where ``target`` (``pkg.mod.f``, or ``pkg.mod.Class.method``) is taken as a
    value, as ``path:line (how)``, in a fixed order; () when nowhere."""
    places = {f"{path}:{use.line} ({use.how})" for path, use in _uses(index, target)}
    return tuple(sorted(places))


def only_as_dependency(index: SymbolTable, target: str) -> bool:
    """Whether ``target`` is taken as a value, and only by plain ``Depends(f)``."""
    uses = _uses(index, target)
    return bool(uses) and all(use.dependency for _, use in uses)


def uses(index: SymbolTable, target: str) -> list[tuple[str, ValueUse]]:
    """Each value use of ``target``, with the path of its module."""
    return _uses(index, target)


def _uses(index: SymbolTable, target: str) -> list[tuple[str, ValueUse]]:
    owner, _, name = target.rpartition(".")
    method_of = owner if owner in index.classes else None
    quiet, index.quiet = index.quiet, True
    try:
        return [
            (path, use)
            for path, use in _by_name(index).get(name, ())
            if _takes(index, use, target, method_of)
        ]
    finally:
        index.quiet = quiet


def _by_name(index: SymbolTable) -> dict[str, list[tuple[str, ValueUse]]]:
    key = "values"
    if key not in index._caches:
        found: dict[str, list[tuple[str, ValueUse]]] = {}
        for module in index.modules.values():
            for use in module.values:
                found.setdefault(use.name, []).append((module.path, use))
                # An alias (`from m import f as g`, then `Depends(g)`) takes `f` too.
                ref = use.ref
                named = None if ref is None else ref.name.rpartition(".")[2]
                if named is not None and named != use.name:
                    found.setdefault(named, []).append((module.path, use))
        index._caches[key] = found
    by_name: dict[str, list[tuple[str, ValueUse]]] = index._caches[key]
    return by_name


def _takes(index: SymbolTable, use: ValueUse, target: str, owner: str | None) -> bool:
    """Whether ``use`` may take ``target`` (a method of ``owner``, if one)."""
    ref = use.ref
    if ref is None:
        return owner is not None  # an untyped receiver: any method of that name
    callee = index.callee(ref)
    if callee is not None:
        if callee.constructs is not None:  # a class as a factory: `Depends(Cls)`
            constructor = target.endswith(".__init__")
            return (
                constructor
                and owner is not None
                and _related(index, callee.constructs, owner)
            )
        if callee.definer is None:
            return callee.qualified == target
        return owner is not None and _related(index, callee.definer, owner)
    if owner is None:
        return False
    # A receiver the facts do not type (`obj.method` of an unknown `obj`), or an
    # instance the index knows (`bus.emit` of a module-level `bus = EventBus()`).
    base = ref.base if ref.kind == "attribute" else _head(ref)
    klass = None if base is None else index.class_of(base)
    return klass is None or _related(index, klass, owner)


def _head(ref: Ref) -> Ref | None:
    head = ref.name.rpartition(".")[0] if ref.kind == "value" else ""
    return Ref.value(head) if head else None


def _related(index: SymbolTable, klass: str, owner: str) -> bool:
    """Whether a method found on ``klass`` may be ``owner``'s (one overrides or
    inherits the other)."""
    return owner in index.mro(klass) or klass in index.mro(owner)
