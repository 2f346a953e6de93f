"""What a module tells about itself, as frozen, picklable records (no LibCST here).

Workers collect a :class:`ModuleFacts` per parsed file and send it to the parent,
which builds the :class:`~codemods.analysis.index.ProjectIndex` from all of them.
Every name in a fact is absolute (``pkg.audit.EncryptedAuditTrail``), resolved
through the module's own imports, so the index follows names across modules without
the trees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

RefKind = Literal["instance", "value", "call", "attribute", "method"]
FunctionKind = Literal["function", "method", "static", "class", "property"]
# How a lifecycle method is used where it is named (``analysis/call_sites.py``).
UseKind = Literal["awaited", "consumed", "statement", "result", "value", "forwarded"]


@dataclass(frozen=True, slots=True)
class Ref:
    """What a value is, symbolically; the index turns it into a class when it can.

    - ``instance``: an instance of the class ``name`` names (an annotation);
    - ``value``: the value of the global ``name`` (a module variable, an alias);
    - ``call``: what calling the global ``name`` returns (a constructor, a factory);
    - ``attribute``: attribute ``name`` of the value ``base``;
    - ``method``: what calling method ``name`` of the value ``base`` returns.
    """

    kind: RefKind
    name: str
    base: Ref | None = None

    @classmethod
    def instance(cls, name: str) -> Ref:
        return cls("instance", name)

    @classmethod
    def value(cls, name: str) -> Ref:
        return cls("value", name)

    @classmethod
    def call(cls, name: str) -> Ref:
        return cls("call", name)

    @classmethod
    def attribute(cls, base: Ref, name: str) -> Ref:
        return cls("attribute", name, base)

    @classmethod
    def method(cls, base: Ref, name: str) -> Ref:
        return cls("method", name, base)


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call in a coroutine function's own code: a caller that may pass a TaskGroup
    to a callee gaining a TaskGroup parameter (``analysis/passing.py``)."""

    callee: Ref
    line: int
    # A TaskGroup is certainly in scope there: an ``async with asyncio.TaskGroup()``
    # block, or the function's own TaskGroup parameter.
    grouped: bool = False


@dataclass(frozen=True, slots=True)
class FunctionFacts:
    """A function or method, as callers and the lifecycle analysis see it."""

    name: str
    line: int
    is_async: bool = False
    kind: FunctionKind = "function"
    # Parameters that can be given by position, without the bound `self`/`cls`.
    positional: tuple[str, ...] = ()
    keyword_only: tuple[str, ...] = ()
    var_positional: bool = False
    var_keyword: bool = False
    # The parameter annotated as an asyncio.TaskGroup (optional or not), if any.
    taskgroup_param: str | None = None
    returns: Ref | None = None
    # Its own body starts background tasks (tracker calls, create_task, ...).
    spawns: bool = False
    # Codes its noqa comment (on the `def` line) suppresses; "*" for a bare one.
    noqa: tuple[str, ...] = ()
    # Codes of per-file codemods that give it the TaskGroup parameter (TG003).
    gains_taskgroup: tuple[str, ...] = ()
    # Its body is a generator's: a generator-based coroutine (`@asyncio.coroutine`,
    # `@types.coroutine`, `yield`) when it spawns, an async generator when async.
    generator: bool = False
    # Decorated by something that may change what calling it returns.
    decorated: bool = False
    # The calls of its own code, when it is a coroutine function.
    calls: tuple[CallSite, ...] = ()
    # An application's entry point, where TG007 may open the root TaskGroup (a
    # lifespan, `main()` run by `asyncio.run`, a configured entry point).
    entry: bool = False
    # A configured tracker: what it does beyond keeping a strong reference (empty:
    # nothing; ``analysis/trackers.py``). None for any other function.
    tracker_extras: tuple[str, ...] | None = None

    def suppresses(self, code: str) -> bool:
        return "*" in self.noqa or code in self.noqa

    @property
    def parameters(self) -> tuple[str, ...]:
        return (*self.positional, *self.keyword_only)


@dataclass(frozen=True, slots=True)
class MethodUse:
    """A place that names a lifecycle method on a receiver: ``<receiver>.start``.

    TG002 converts a family only if every such place can follow: awaited in a
    coroutine, or handed to something that consumes a coroutine.
    """

    method: str
    line: int
    # What the receiver is (``super()``: an instance of the class it is written in);
    # None when the code does not say.
    receiver: Ref | None
    kind: UseKind
    # The function the use is written in, as a finding shows it.
    caller: str
    runs_async: bool = False
    # A synchronous lifecycle method it is written in (class, method): it becomes a
    # coroutine if its own family converts.
    converts_with: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class ValueUse:
    """A function or method named without being called: ``Depends(f)``,
    ``bus.subscribe(topic, self.on_event)``, ``loop.call_soon(f)``, ``partial(f)``,
    stored in a container, assigned or returned.

    Whoever receives it calls it with the arguments it chooses (FastAPI even reads its
    signature), so no codemod may add a parameter to it (``index.taken_as_value``).
    """

    # The function's or method's own name (the last part of what is written).
    name: str
    line: int
    # What is taken: ``Ref.value`` of an absolute name, ``Ref.attribute`` of a
    # receiver; None when the receiver is a local the facts do not type (any method
    # of that name may be the one taken).
    ref: Ref | None
    # How it is used, as a finding says it (``passed to `Depends()` ``).
    how: str
    # The one argument of FastAPI's ``Depends(f)``, named directly: a run that gives
    # ``f`` a TaskGroup may repoint it to a wrapper (``analysis/dependencies.py``).
    dependency: bool = False


@dataclass(frozen=True, slots=True)
class ClassFacts:
    """A top-level class: its bases, methods and the types of its attributes."""

    name: str
    line: int
    # Absolute names of the bases; "" for a base expression that names nothing.
    bases: tuple[str, ...] = ()
    methods: tuple[FunctionFacts, ...] = ()
    attributes: tuple[tuple[str, Ref], ...] = ()
    # Methods whose TG003 fix makes `__init__` take the TaskGroup (and keep it).
    init_gains_via: tuple[str, ...] = ()

    def method(self, name: str) -> FunctionFacts | None:
        return next((m for m in self.methods if m.name == name), None)

    def attribute(self, name: str) -> Ref | None:
        return next((ref for attr, ref in self.attributes if attr == name), None)


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """Everything the index needs from one module."""

    name: str
    path: str
    classes: tuple[ClassFacts, ...] = ()
    functions: tuple[FunctionFacts, ...] = ()
    # Module-level names bound to a value (an alias is a `Ref.value` of its target).
    variables: tuple[tuple[str, Ref], ...] = ()
    # Local name -> the absolute name it imports.
    imports: tuple[tuple[str, str], ...] = ()
    # Modules imported with `from m import *`.
    star_imports: tuple[str, ...] = ()
    # Every use of a lifecycle method (TG002's call sites), in source order.
    uses: tuple[MethodUse, ...] = ()
    # Every function or method taken as a value, in source order, read from the
    # whole text (elided bodies too): their lines are the whole text's already.
    values: tuple[ValueUse, ...] = ()
    # What it plays in a FastAPI app's root TaskGroup (``fastapi_roles.py``).
    fastapi: tuple[str, ...] = ()

    def relined(self, line_of: Callable[[int], int]) -> ModuleFacts:
        """These facts with each line ``line_of`` gives for it (facts collected from
        an elided text, told in the whole text's lines)."""

        def function(facts: FunctionFacts) -> FunctionFacts:
            calls = tuple(replace(c, line=line_of(c.line)) for c in facts.calls)
            return replace(facts, line=line_of(facts.line), calls=calls)

        return replace(
            self,
            classes=tuple(
                replace(
                    klass,
                    line=line_of(klass.line),
                    methods=tuple(function(method) for method in klass.methods),
                )
                for klass in self.classes
            ),
            functions=tuple(function(facts) for facts in self.functions),
            uses=tuple(replace(use, line=line_of(use.line)) for use in self.uses),
        )
