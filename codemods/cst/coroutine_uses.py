"""Coroutines as the code shows them: generator-based coroutine functions, and the
calls that consume a coroutine handed to them (so the call giving it needs no
``await``). Shared by the fact collector (TG002's call sites) and TG006."""

from __future__ import annotations

import libcst as cst

from codemods.cst.names import dotted
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.walk import visit

GENERATOR_DECORATORS = frozenset({"asyncio.coroutine", "types.coroutine"})
# Functions that take a coroutine and run, schedule or wait for it.
CONSUMING_FUNCTIONS = frozenset(
    f"asyncio.{name}"
    for name in (
        "run",
        "gather",
        "wait_for",
        "wait",
        "shield",
        "ensure_future",
        "create_task",
        "run_coroutine_threadsafe",
        "timeout",
    )
)
# Methods that do the same on any receiver (a loop, a TaskGroup, a runner).
CONSUMING_METHODS = frozenset({"run_until_complete", "create_task", "ensure_future"})
# Decorators after which calling the function still runs it as written.
TRANSPARENT_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "abc.abstractmethod",
        "override",
        "typing.override",
        "typing_extensions.override",
    }
)


def changes_calls(function: cst.FunctionDef) -> bool:
    """Whether a decorator may change what calling ``function`` does or gives (a
    framework's route, a registry, ``functools.cache``)."""
    return any(
        dotted(d.decorator) not in TRANSPARENT_DECORATORS for d in function.decorators
    )


def is_generator_coroutine(
    function: cst.FunctionDef, resolve: QualifiedNamesOf
) -> bool:
    """A synchronous ``def`` decorated ``@asyncio.coroutine``/``@types.coroutine``
    (by any spelling), or containing ``yield``: ``async def`` cannot hold its body."""
    if function.asynchronous is not None:
        return False
    for decorator in function.decorators:
        if resolve(decorator.decorator) & GENERATOR_DECORATORS:
            return True
    return yields(function)


def yields(function: cst.FunctionDef) -> bool:
    """Whether ``function``'s own body (nested scopes aside) has a ``yield``."""
    found = False

    class _Yields(cst.CSTVisitor):
        def visit_Yield(self, node: cst.Yield) -> bool:
            nonlocal found
            found = True
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    visit(function.body, _Yields())
    return found


def consumes_coroutine(call: cst.Call, resolve: QualifiedNamesOf) -> bool:
    """Whether ``call`` runs, schedules or waits for a coroutine passed to it."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in CONSUMING_METHODS:
        return True
    return bool(resolve(func) & CONSUMING_FUNCTIONS)
