"""Every module's facts, and the names and values they are resolved through.

The base of the project index (``index.py``): built from the facts the workers
collected (no LibCST, no trees). Names are followed through imports, aliases, package
re-exports and star imports; values through annotations, constructors, factories,
attributes and module-level instances. What the codemods ask of it is in
``families.py`` and ``triggers.py``, asked through ``index.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from codemods.analysis.facts import ClassFacts, FunctionFacts, ModuleFacts, Ref
from codemods.analysis.scope import IndexScope

SymbolKind = Literal["class", "function", "variable", "module"]
# Deeper chains of aliases and attributes than this are given up on (and cycles).
MAX_DEPTH = 25


@dataclass(frozen=True, slots=True)
class Symbol:
    kind: SymbolKind
    name: str


@dataclass(frozen=True, slots=True)
class Callee:
    """What a call runs: a function, a method, or a class's ``__init__``."""

    function: FunctionFacts
    # The class that defines the function, and for a constructor the class constructed.
    definer: str | None
    constructs: str | None
    display: str
    # The absolute name of the module-level function, when it is one.
    qualified: str | None = None


@dataclass
class SymbolTable:
    """Facts of many modules, resolvable by absolute name."""

    scope: IndexScope = field(default_factory=IndexScope)
    modules: dict[str, ModuleFacts] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    variables: dict[str, Ref] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    # Names a question needed and no indexed module defines (another round may).
    unresolved: set[str] = field(default_factory=set)
    # Module names more than one file claims: left out.
    ambiguous: set[str] = field(default_factory=set)
    quiet: bool = False
    _symbols: dict[str, Symbol | None] = field(default_factory=dict, repr=False)
    _resolved: dict[str, Symbol | None] = field(default_factory=dict, repr=False)
    _cuts: int = field(default=0, repr=False)
    _attempted: dict[str, Symbol | None] = field(default_factory=dict, repr=False)
    _caches: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, facts: Iterable[ModuleFacts], scope: IndexScope) -> Self:
        index = cls(scope=scope)
        every = list(facts)
        claims = Counter(module.name for module in every)
        # Two files claiming one module name (scripts named alike in two folders):
        # neither can be told from the other, so neither is indexed.
        index.ambiguous = {name for name, count in claims.items() if count > 1}
        for module in every:
            if module.name in index.ambiguous:
                continue
            index.modules[module.name] = module
            prefix = module.name
            for klass in module.classes:
                index.classes[f"{prefix}.{klass.name}"] = klass
            for function in module.functions:
                index.functions[f"{prefix}.{function.name}"] = function
            for name, ref in module.variables:
                index.variables[f"{prefix}.{name}"] = ref
            for name, target in module.imports:
                index.imports[f"{prefix}.{name}"] = target
        return index

    # -- names ------------------------------------------------------------------------

    def symbol(self, name: str) -> Symbol | None:
        if name not in self._symbols:
            self._attempted = {}
            self._symbols[name] = self._symbol(name, frozenset())
        found = self._symbols[name]
        if found is None and not self.quiet:
            self.unresolved.add(name)
        return found

    def _symbol(self, name: str, seen: frozenset[str]) -> Symbol | None:
        # Memoized across questions only when no cycle or depth limit cut a path short
        # (such an answer may differ along another path), and within one question
        # always: names reach each other along exponentially many paths otherwise.
        if name in self._resolved:
            found = self._resolved[name]
            if found is None and not self.quiet:
                self.unresolved.add(name)
            return found
        if name in self._attempted:
            return self._attempted[name]
        if name in seen or len(seen) > MAX_DEPTH:
            self._cuts += 1
            return None
        cuts = self._cuts
        found = self._resolve(name, seen | {name})
        self._attempted[name] = found
        if found is not None or self._cuts == cuts:
            self._resolved[name] = found
        return found

    def _resolve(self, name: str, seen: frozenset[str]) -> Symbol | None:
        found = self._defined(name, seen)
        if found is not None or name in self.imports:
            return found
        head, dot, last = name.rpartition(".")
        owner = self._symbol(head, seen) if dot else None
        if owner is not None and owner.kind == "module":
            found = self._through_stars(owner.name, last, name, seen)
            if found is not None:
                return found
        if not self.quiet:
            self.unresolved.add(name)
        return None

    def _defined(self, name: str, seen: frozenset[str]) -> Symbol | None:
        """What ``name`` is where it is defined or imported, stars aside."""
        for kind, table in (
            ("class", self.classes),
            ("function", self.functions),
            ("variable", self.variables),
        ):
            if name in table:
                return Symbol(kind, name)  # type: ignore[arg-type]
        if name in self.imports:
            return self._symbol(self.imports[name], seen)
        if name in self.modules:
            return Symbol("module", name)
        return None

    def _through_stars(
        self, module: str, last: str, name: str, seen: frozenset[str]
    ) -> Symbol | None:
        """``module.last`` found in the modules ``module`` star-imports, transitively.

        The star-import graph is walked once per module, breadth first (a nearer
        module's name wins), instead of once per path: in a package whose modules
        star-import each other, as asyncio's do, the paths are exponential in number.
        """
        for source in self._star_closure(module):
            candidate = f"{source}.{last}"
            if candidate == name:
                continue
            if source in self.modules:
                found = self._defined(candidate, seen)
            else:
                # Star-imported from outside the index: a later round may index it.
                found = self._symbol(candidate, seen)
            if found is not None:
                return found
        return None

    def _star_closure(self, module: str) -> list[str]:
        """``module`` and the modules it star-imports, transitively, nearest first."""
        closures: dict[str, list[str]] = self._caches.setdefault("stars", {})
        if module not in closures:
            order: list[str] = []
            pending = [module]
            while pending:
                current = pending.pop(0)
                if current in order:
                    continue
                order.append(current)
                facts = self.modules.get(current)
                if facts is not None:
                    pending.extend(facts.star_imports)
            closures[module] = order
        return closures[module]

    def class_named(self, name: str, depth: int = 0) -> str | None:
        """The class ``name`` denotes, through aliases (``Trail = AuditTrail``)."""
        found = self.symbol(name)
        if found is None or depth > MAX_DEPTH:
            return None
        if found.kind == "class":
            return found.name
        alias = self.variables.get(found.name)
        if alias is not None and alias.kind == "value":
            return self.class_named(alias.name, depth + 1)
        return None

    # -- values -----------------------------------------------------------------------

    def class_of(self, ref: Ref, depth: int = 0) -> str | None:
        """The class of the instance ``ref`` stands for, when the facts say."""
        if depth > MAX_DEPTH:
            return None
        if ref.kind == "instance":
            return self.class_named(ref.name)
        if ref.kind == "value":
            found = self.symbol(ref.name)
            value = None if found is None else self.variables.get(found.name)
            return None if value is None else self.class_of(value, depth + 1)
        if ref.kind == "call":
            callee = self.callee(Ref.value(ref.name))
            if callee is None or callee.constructs is not None:
                return None if callee is None else callee.constructs
            returns = callee.function.returns
            return None if returns is None else self.class_of(returns, depth + 1)
        base = None if ref.base is None else self.class_of(ref.base, depth + 1)
        if base is None:
            return None
        if ref.kind == "attribute":
            attribute = self.attribute(base, ref.name)
            return None if attribute is None else self.class_of(attribute, depth + 1)
        found_method = self.method(base, ref.name)
        returns = None if found_method is None else found_method[1].returns
        return None if returns is None else self.class_of(returns, depth + 1)

    def callee(self, ref: Ref, depth: int = 0) -> Callee | None:
        """What calling ``ref`` runs: a function, a method or a class's ``__init__``."""
        if ref.kind == "attribute" and ref.base is not None:
            owner = self.class_of(ref.base)
            return None if owner is None else self._method_callee(owner, ref.name)
        if ref.kind != "value" or depth > MAX_DEPTH:
            return None
        found = self.symbol(ref.name)
        if found is None:
            # `Class.create()`: a static or class method reached through its class.
            head, _, last = ref.name.rpartition(".")
            owner = self.class_named(head) if head else None
            if owner is None and head:
                # `bus.emit()`: a method of a module-level instance (`bus = Bus()`).
                owner = self.class_of(Ref.value(head), depth + 1)
            return None if owner is None else self._method_callee(owner, last)
        if found.kind == "function":
            function = self.functions[found.name]
            return Callee(function, None, None, function.name, found.name)
        if found.kind == "class":
            init = self.method(found.name, "__init__")
            if init is None:
                bare = FunctionFacts("__init__", 0, kind="method")
                return Callee(bare, found.name, found.name, _short(found.name))
            return Callee(init[1], init[0], found.name, _short(found.name))
        alias = self.variables.get(found.name)
        if alias is not None and alias.kind == "value":
            return self.callee(alias, depth + 1)
        return None

    def _method_callee(self, owner: str, name: str) -> Callee | None:
        found = self.method(owner, name)
        if found is None:
            return None
        return Callee(found[1], found[0], None, f"{_short(found[0])}.{name}")

    # -- classes ----------------------------------------------------------------------

    def bases(self, name: str) -> list[tuple[str, str | None]]:
        """(base as written, the project class it is or None) for each base."""
        return [
            (base, self.class_named(base) if base else None)
            for base in self.classes[name].bases
        ]

    def mro(self, name: str) -> list[str]:
        """``name`` and its project ancestors, depth first, left to right, once each."""
        order: list[str] = []
        pending = [name]
        while pending:
            current = pending.pop(0)
            if current in order or current not in self.classes:
                continue
            order.append(current)
            pending[0:0] = [
                known for _, known in self.bases(current) if known is not None
            ]
        return order

    def method(self, owner: str, name: str) -> tuple[str, FunctionFacts] | None:
        """The class in ``owner``'s ancestry defining method ``name``, and it."""
        for klass in self.mro(owner):
            found = self.classes[klass].method(name)
            if found is not None:
                return klass, found
        return None

    def attribute(self, owner: str, name: str) -> Ref | None:
        for klass in self.mro(owner):
            facts = self.classes[klass]
            found = facts.attribute(name)
            if found is not None:
                return found
            getter = facts.method(name)
            if getter is not None and getter.kind == "property":
                return getter.returns
        return None


def _short(name: str) -> str:
    return name.rpartition(".")[2]
