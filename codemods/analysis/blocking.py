"""All or nothing across call sites: the uses of a lifecycle method that keep its
family from converting (TG002).

Converting ``start`` to a coroutine function is safe only if every place in the
repository that names it follows: a call awaited (or made awaitable) in a coroutine, or
handed to something that consumes a coroutine (``loop.run_until_complete``,
``asyncio.gather``, ``yield from``). A synchronous caller, a receiver the code does not
pin down, the method taken as a value, a ``*args``/``**kwargs`` forwarder or a used
return value each block the whole family: nothing of it is written, and its finding
lists every blocking place as ``path:line``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from codemods.analysis.facts import MethodUse, Ref
from codemods.analysis.symbols import MAX_DEPTH, SymbolTable

# A receiver that is not the project's (``threading.Thread``, ``somelib.Client``).
OUTSIDE = "<outside>"
# Annotations that say nothing about what the receiver is.
ANYTHING = frozenset(
    {"typing.Any", "typing_extensions.Any", "object", "builtins.object"}
)


@dataclass(frozen=True, slots=True)
class _Place:
    path: str
    use: MethodUse
    # The receiver's class is unknown: the use may be of any family of the method.
    unknown: bool


def blocking_uses(
    index: SymbolTable, converting: Mapping[str, tuple[str, frozenset[str]]]
) -> dict[str, tuple[str, ...]]:
    """The blocking places (``path:line (why)``) of each family in ``converting``
    (group -> its method and member classes) that has any."""
    member_of = {
        (method, klass): group
        for group, (method, members) in converting.items()
        for klass in members
    }
    places: dict[str, list[_Place]] = {group: [] for group in converting}
    for module in index.modules.values():
        for use in module.uses:
            target = _definer(index, use)
            if target == OUTSIDE:
                continue
            if target is None:
                groups = [
                    g for g, (method, _) in converting.items() if method == use.method
                ]
            else:
                found = member_of.get((use.method, target))
                groups = [] if found is None else [found]
            for group in groups:
                places[group].append(_Place(module.path, use, target is None))
    blocked: dict[str, tuple[str, ...]] = {}
    # A caller that is itself a converting lifecycle method awaits only if its own
    # family converts: block until nothing changes.
    changed = True
    while changed:
        changed = False
        for group, seen in places.items():
            if group in blocked:
                continue
            reasons = [
                _described(place)
                # In the tree's order, whatever order the files were scanned in.
                for place in sorted(seen, key=lambda p: (p.path, p.use.line))
                if _blocks(place, member_of, blocked)
            ]
            if reasons:
                blocked[group] = tuple(dict.fromkeys(reasons))
                changed = True
    return blocked


def _blocks(
    place: _Place,
    member_of: Mapping[tuple[str, str], str],
    blocked: Mapping[str, object],
) -> bool:
    use = place.use
    if use.kind in ("awaited", "consumed"):
        return False
    if use.kind != "statement" or place.unknown:
        return True
    if use.runs_async:
        return False
    if use.converts_with is None:
        return True
    klass, method = use.converts_with
    own = member_of.get((method, klass))
    return own is None or own in blocked


def _described(place: _Place) -> str:
    use = place.use
    where = f"{place.path}:{use.line}" if place.path else f"line {use.line}"
    caller = (
        use.caller if use.caller.startswith(("a ", "module")) else f"`{use.caller}`"
    )
    if use.kind == "value":
        why = f"{caller} takes it as a value"
    elif use.kind == "forwarded":
        why = f"{caller} forwards `*args`/`**kwargs` to it"
    elif use.kind == "result":
        why = f"{caller} uses its return value"
    elif place.unknown:
        why = f"{caller} calls `.{use.method}()` on a receiver of unknown type"
    elif use.caller.startswith(("a ", "module")):
        why = f"{caller} calls it"
    else:
        why = f"synchronous {caller} calls it"
    return f"{where} ({why})"


def _definer(index: SymbolTable, use: MethodUse) -> str | None:
    """The class defining the method a use names; OUTSIDE for a receiver from outside
    the project, None when the code does not say what the receiver is."""
    receiver = use.receiver
    if receiver is None or (receiver.kind == "instance" and receiver.name in ANYTHING):
        return None
    quiet, index.quiet = index.quiet, True
    try:
        klass = _class(index, receiver, 0)
    finally:
        index.quiet = quiet
    if klass is None or klass == OUTSIDE:
        return klass
    found = index.method(klass, use.method)
    return OUTSIDE if found is None else found[0]


def _class(index: SymbolTable, ref: Ref, depth: int) -> str | None:
    """The project class ``ref`` is an instance of, OUTSIDE when the code says it is
    something from outside the project, None when it does not say."""
    klass = index.class_of(ref)
    if klass is not None or depth > MAX_DEPTH:
        return klass
    if ref.base is not None:
        base = _class(index, ref.base, depth + 1)
        if base is None or base == OUTSIDE:
            return base
        if ref.kind == "attribute":
            value = index.attribute(base, ref.name)
        else:
            found = index.method(base, ref.name)
            value = None if found is None else found[1].returns
        return None if value is None else _class(index, value, depth + 1)
    found_symbol = index.symbol(ref.name)
    if found_symbol is None:
        return OUTSIDE if _outside(index, ref.name) else None
    if ref.kind == "value" and found_symbol.kind == "variable":
        value = index.variables.get(found_symbol.name)
        return None if value is None else _class(index, value, depth + 1)
    if ref.kind == "call":
        callee = index.callee(Ref.value(ref.name))
        returns = None if callee is None else callee.function.returns
        return None if returns is None else _class(index, returns, depth + 1)
    return None


def _outside(index: SymbolTable, name: str) -> bool:
    """Whether no project module holds ``name`` (nor a module it would be in)."""
    head = name
    while head:
        if head in index.modules:
            return False
        head = head.rpartition(".")[0]
    return True
