"""Keeping the TaskGroup a converted ``start`` is given as ``self.tg``, when another
method of its class passes it on (``Dispatcher._deliver`` calling
``bus.emit(..., tg=self.tg)``, written by TG005).

``start()`` stores it, since that is where it arrives (the constructor's callers stay
as they are), and ``__init__`` declares it None, so that a method running before
``start()`` (or after a ``start()`` given none) passes None, and the callee takes its
own fallback.
"""

from __future__ import annotations

import libcst as cst

from codemods.cst.build import parse_statement
from codemods.cst.find import is_docstring
from codemods.cst.place import declares, insert_after_assignments
from codemods.cst.spawn_code import KEEPER


def store_in_start(
    function: cst.FunctionDef, param: str, module: cst.Module
) -> cst.FunctionDef:
    """``function`` (the converted ``start``) storing ``param`` as ``self.<param>``
    first, after its docstring."""
    body = function.body
    if not isinstance(body, cst.IndentedBlock):
        return function
    statements = list(body.body)
    position = 1 if statements and is_docstring(statements[0]) else 0
    statements.insert(position, parse_statement(f"self.{param} = {param}\n", module))
    return function.with_changes(body=body.with_changes(body=statements))


def declare_in_class(
    node: cst.ClassDef, param: str, asyncio_name: str, module: cst.Module
) -> cst.ClassDef:
    """Class ``node`` declaring ``self.<param>`` None in ``__init__`` (as a class
    attribute when it has none and no decorator, which could make it a dataclass
    field), unless it does already."""
    annotation = f"{asyncio_name}.TaskGroup | None = None\n"
    statements = list(node.body.body)
    for index, statement in enumerate(statements):
        if (
            isinstance(statement, cst.FunctionDef)
            and statement.name.value == "__init__"
        ):
            if declares(statement, f"self.{param}"):
                return node
            declaration = parse_statement(f"self.{param}: {annotation}", module)
            statements[index] = insert_after_assignments(statement, declaration, KEEPER)
            break
    else:
        first = statements[0] if statements else None
        if node.decorators:
            return node
        position = (
            1 if isinstance(first, cst.BaseStatement) and is_docstring(first) else 0
        )
        statements.insert(position, parse_statement(f"{param}: {annotation}", module))
    return node.with_changes(body=node.body.with_changes(body=statements))
