"""Where a lifecycle method is named on a receiver (``<receiver>.start``), and how it
is used there: TG002's call sites, collected with a module's facts.

TG002 converts a family only when every use in the repository can follow the method
becoming a coroutine (see ``families.blocking_uses``); this module only records what
the code shows, leaving the verdict to the index, which sees every module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import libcst as cst

from codemods.analysis.facts import MethodUse, Ref, UseKind
from codemods.analysis.inference import FunctionTypes
from codemods.cst.coroutine_uses import consumes_coroutine, is_generator_coroutine
from codemods.cst.find import is_call_of
from codemods.cst.module_names import ModuleNames
from codemods.cst.names import LocalBindings, dotted
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.walk import visit

_NOT_BOUND = frozenset({"staticmethod", "classmethod"})


@lru_cache(maxsize=8)
def written_attribute(methods: tuple[str, ...]) -> re.Pattern[str]:
    """Where a text may write ``<receiver>.<method>``: a dot, then blanks, line
    breaks, continuations or comments (inside brackets), then the method's name.
    A comment runs to its line's end: else a line of ``#`` splits into comments in
    exponentially many ways before the search fails."""
    names = "|".join(re.escape(name) for name in methods)
    blank = r"(?:\s|\\\r?\n|#[^\r\n]*(?=[\r\n]))*"
    return re.compile(rf"\.{blank}(?:{names})\b")


@dataclass
class _Scope:
    """A function or lambda the walk is in."""

    caller: str
    runs_async: bool
    converts_with: tuple[str, str] | None
    types: FunctionTypes
    owner: str | None


class _Uses(cst.CSTVisitor):
    def __init__(
        self,
        module_name: str,
        names: ModuleNames,
        resolve: QualifiedNamesOf,
        methods: Sequence[str],
        line: Callable[[cst.CSTNode], int],
        mentions: Callable[[cst.CSTNode], bool],
        local: LocalBindings | None,
        source: Callable[[cst.CSTNode], str] | None,
    ) -> None:
        self.local = local
        self.module_name, self.names, self.names_of = module_name, names, resolve
        self.methods = frozenset(methods)
        self.line, self.mentions, self.source = line, mentions, source
        self.written = written_attribute(tuple(methods))
        self.parents: list[cst.CSTNode] = []
        self.classes: list[str] = []
        module_types = FunctionTypes(None, names, None)
        self.scopes = [_Scope("module level", False, None, module_types, None)]
        self.found: list[MethodUse] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        # on_leave comes for every node visited, its children walked or not.
        if isinstance(node, cst.ClassDef):
            self.classes.append(f"{self.module_name}.{node.name.value}")
        elif isinstance(node, cst.FunctionDef):
            self.scopes.append(self._function(node))
        elif isinstance(node, cst.Lambda):
            outer = self.scopes[-1]
            self.scopes.append(
                _Scope("a lambda", False, None, outer.types, outer.owner)
            )
        elif isinstance(node, cst.Attribute) and node.attr.value in self.methods:
            self._use(node)
        self.parents.append(node)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return self._walked(node)
        return True

    def _walked(self, node: cst.FunctionDef | cst.ClassDef) -> bool:
        """Whether a use may be in ``node``: its lines write the attribute (its
        decorators, above them, may: those are judged by the word alone)."""
        source = self.source
        if source is not None and not node.decorators:
            if self.written.search(source(node)) is None:
                return False
        return self.mentions(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.parents.pop()
        if isinstance(original_node, cst.ClassDef):
            self.classes.pop()
        elif isinstance(original_node, (cst.FunctionDef, cst.Lambda)):
            self.scopes.pop()

    def _function(self, node: cst.FunctionDef) -> _Scope:
        in_class = self._directly_in_class()
        owner = self.classes[-1] if in_class else None
        bound = owner is not None and not any(
            dotted(d.decorator) in _NOT_BOUND for d in node.decorators
        )
        types = FunctionTypes(node, self.names, owner if bound else None, self.local)
        name = node.name.value
        caller = f"{owner.rpartition('.')[2]}.{name}()" if owner else f"{name}()"
        sync = node.asynchronous is None
        converts_with = None
        if owner is not None and sync and name in self.methods:
            if not is_generator_coroutine(node, self.names_of):
                converts_with = (owner, name)
        outer = self.scopes[-1]
        return _Scope(caller, not sync, converts_with, types, owner or outer.owner)

    def _directly_in_class(self) -> bool:
        # ClassDef > IndentedBlock > FunctionDef (not yet on the stack)
        return len(self.parents) >= 2 and isinstance(self.parents[-2], cst.ClassDef)

    def _use(self, node: cst.Attribute) -> None:
        scope = self.scopes[-1]
        receiver = node.value
        ref: Ref | None
        if is_call_of(receiver, "super"):
            ref = None if scope.owner is None else Ref.instance(scope.owner)
        else:
            ref = scope.types.of(receiver)
        self.found.append(
            MethodUse(
                method=node.attr.value,
                line=self.line(node),
                receiver=ref,
                kind=self._kind(node),
                caller=scope.caller,
                runs_async=scope.runs_async,
                converts_with=scope.converts_with,
            )
        )

    def _kind(self, node: cst.Attribute) -> UseKind:
        parents = self.parents
        call = parents[-1] if parents else None
        if not isinstance(call, cst.Call) or call.func is not node:
            return "value"
        if any(arg.star for arg in call.args):
            return "forwarded"
        holder = parents[-2] if len(parents) >= 2 else None
        if isinstance(holder, cst.Await):
            return "awaited"
        if isinstance(holder, cst.From) or (
            isinstance(holder, cst.Arg)
            and len(parents) >= 3
            and isinstance(parents[-3], cst.Call)
            and consumes_coroutine(parents[-3], self.names_of)
        ):
            return "consumed"
        if isinstance(holder, cst.Expr) or (
            isinstance(holder, cst.Lambda) and holder.body is call
        ):
            return "statement"
        return "result"


def method_uses(
    module: cst.Module,
    *,
    module_name: str,
    names: ModuleNames,
    resolve: QualifiedNamesOf,
    methods: Sequence[str],
    line: Callable[[cst.CSTNode], int],
    mentions: Callable[[cst.CSTNode], bool],
    local: LocalBindings | None = None,
    text: str | None = None,
    source: Callable[[cst.CSTNode], str] | None = None,
) -> tuple[MethodUse, ...]:
    """Every ``<receiver>.<method>`` of ``module`` for the lifecycle ``methods``;
    functions and classes whose lines do not spell one are not walked. ``text``:
    the module's text, ``source``: a node's lines in it (when known, a text or a
    function that writes no ``.<method>`` is not walked at all)."""
    if text is not None and written_attribute(tuple(methods)).search(text) is None:
        return ()
    visitor = _Uses(module_name, names, resolve, methods, line, mentions, local, source)
    visit(module, visitor)
    return tuple(visitor.found)
