"""Whether a module-level function is taken as a value in its own module.

A function handed over as a value (``Depends(f)``, ``loop.call_soon(f)``,
``handlers = [f]``) is called by whoever receives it, with the arguments it chooses:
a framework that reads its signature (FastAPI) would take a new parameter for one of
its own. Read from the scope analysis the collector already has: every reference to
the function's name that is not followed by ``(`` takes it as a value.

This sees one module. Other modules' uses need the index's value-use facts; until
then a public function is assumed to be taken as a value somewhere (``families``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import libcst as cst
from libcst.metadata import Scope


def taken_as_value(
    function: cst.FunctionDef,
    scopes: Mapping[cst.CSTNode, Scope | None],
    text_after: Callable[[cst.CSTNode], str],
) -> bool:
    """Whether ``function``'s name is bound again, or read other than as the callee
    of a call, where it is defined; ``text_after`` gives the source that follows a
    node on its line."""
    scope = scopes.get(function)
    if scope is None:
        return True
    name = function.name.value
    assignments = list(scope.assignments[name])
    if len(assignments) != 1:
        return True
    for access in assignments[0].references:
        node = access.node
        if isinstance(node, cst.SimpleString):
            continue  # an `__all__` entry: exported, not handed over
        if not text_after(node).lstrip().startswith("("):
            return True
    return False
