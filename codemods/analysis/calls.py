"""The calls a coroutine function makes, collected with its facts: who may pass a
TaskGroup to a callee that gains a TaskGroup parameter (``analysis/passing.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst

from codemods.analysis.facts import CallSite
from codemods.analysis.inference import FunctionTypes
from codemods.cst.find import OwnCodeVisitor
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.scopes import taskgroup_targets
from codemods.cst.walk import visit

# Where a module names its entry points: `asyncio.run(main())`, `lifespan=lifespan`,
# `app.cleanup_ctx.append(ctx)` (as TG007 finds them).
NAMED_ENTRY = re.compile(
    r"\brun\(\s*(\w+)\(|\blifespan\s*=\s*(\w+)|cleanup_ctx\.append\(\s*(\w+)"
)
_CONTEXT_MANAGERS = frozenset({"contextlib.asynccontextmanager"})
LineOf = Callable[[cst.CSTNode], int]


class _Calls(OwnCodeVisitor):
    def __init__(
        self,
        types: FunctionTypes,
        resolve: QualifiedNamesOf,
        line: LineOf,
        grouped: bool,
        opens_groups: bool,
    ) -> None:
        super().__init__()
        self.types, self.names_of, self.line = types, resolve, line
        self.groups = 1 if grouped else 0
        self.opens_groups = opens_groups
        self.opened: list[int] = []
        self.found: list[CallSite] = []

    def visit_With(self, node: cst.With) -> None:
        opened = len(taskgroup_targets(node, self.names_of)) if self.opens_groups else 0
        self.opened.append(opened)
        self.groups += opened

    def leave_With(self, original_node: cst.With) -> None:
        self.groups -= self.opened.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, (cst.Name, cst.Attribute)):
            return
        ref = self.types.of(node.func)
        if ref is not None:
            self.found.append(CallSite(ref, self.line(node), self.groups > 0))


def call_sites(
    function: cst.FunctionDef,
    types: FunctionTypes,
    resolve: QualifiedNamesOf,
    line: LineOf,
    *,
    grouped: bool,
    opens_groups: bool = True,
) -> tuple[CallSite, ...]:
    """The calls of ``function``'s own code whose callee the facts can name;
    ``grouped``: a TaskGroup parameter is in scope everywhere in it;
    ``opens_groups``: False when no ``async with`` of it can open a TaskGroup (its
    module's text does not spell the word)."""
    visitor = _Calls(types, resolve, line, grouped, opens_groups)
    visit(function.body, visitor)
    return tuple(visitor.found)


def is_entry(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    named: frozenset[str],
) -> bool:
    """Whether coroutine function ``function`` may be where TG007 opens the root:
    an ``@asynccontextmanager`` (a lifespan), or named where the module runs it or
    in the configured entry points (``named``)."""
    if function.asynchronous is None:
        return False
    if function.name.value in named:
        return True
    return any(
        resolve(decorator.decorator) & _CONTEXT_MANAGERS
        for decorator in function.decorators
    )


def entry_names(text: str, configured: tuple[str, ...]) -> frozenset[str]:
    """The function names ``text`` runs as entry points, and the configured ones."""
    named = {name for match in NAMED_ENTRY.finditer(text) for name in match.groups()}
    return frozenset(name for name in (*named, *configured) if name)
