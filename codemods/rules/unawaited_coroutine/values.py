"""Calls that use their arguments as values: a coroutine handed to one is used as if
it were the result (``print(fetch())``, ``str(fetch())``, ``"{}".format(fetch())``).

Only calls known never to keep, run or hand on what they are given count: some
builtins (not shadowed), ``logging``'s functions, and ``str.format`` on a literal.
Any other call may be one that takes a coroutine (a project's ``run_later(coro)``,
``tasks.append(coro)`` before a ``gather``), so TG006 reports nothing there.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst
from libcst.metadata import QualifiedNameSource, Scope

from codemods.cst.qualified import QualifiedNamesOf

# Builtins that convert, print or measure a value: a coroutine is never what they
# want (``list(coro)``, ``len(coro)`` raise; ``str``, ``bool``, ``print`` mislead).
VALUE_BUILTINS = frozenset(
    {
        "abs",
        "bool",
        "float",
        "format",
        "int",
        "len",
        "list",
        "max",
        "min",
        "print",
        "repr",
        "round",
        "set",
        "sorted",
        "str",
        "sum",
        "tuple",
    }
)
LOGGING_NAMES = frozenset(
    ("debug", "info", "warning", "error", "exception", "critical", "log")
)
LOGGING_FUNCTIONS = frozenset(f"logging.{name}" for name in LOGGING_NAMES)
STRING_LITERALS = (cst.SimpleString, cst.ConcatenatedString)


def is_builtin(name: cst.Name, scope: Scope | None) -> bool:
    """Whether ``name`` refers to the builtin of that name where it is written."""
    if scope is None:
        return False
    found = scope.get_qualified_names_for(name)
    return bool(found) and all(
        q.source is QualifiedNameSource.BUILTIN and q.name == f"builtins.{name.value}"
        for q in found
    )


def expects_values(
    call: cst.Call,
    resolve: QualifiedNamesOf,
    builtin: Callable[[cst.Name], bool],
) -> bool:
    """Whether ``call`` uses every argument as a value (see the module)."""
    func = call.func
    if isinstance(func, cst.Name):
        return func.value in VALUE_BUILTINS and builtin(func)
    if (
        isinstance(func, cst.Attribute)
        and func.attr.value == "format"
        and isinstance(func.value, STRING_LITERALS)
    ):
        return True
    if isinstance(func, cst.Attribute) and func.attr.value not in LOGGING_NAMES:
        # An attribute's qualified names end in its own name: not worth resolving.
        return False
    return bool(resolve(func) & LOGGING_FUNCTIONS)
