"""Whether an expression is provably a coroutine, so that ``TaskGroup.create_task``
(which rejects a Future) may take it where ``asyncio.ensure_future`` took it.

Provable: a call of one of asyncio's coroutine functions (``asyncio.sleep``,
``asyncio.wait_for``, ...), of an ``async def`` this module defines once at top level,
or of ``self.<m>()``/``cls.<m>()`` where the enclosing class defines ``async def m``.
Anything else (``run_in_executor``, ``gather``, ``shield``, ``create_future``, a
name, a function of another module) may be a Future.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst

from codemods.core.asyncio_names import COROUTINE_FUNCTION_NAMES
from codemods.cst.names import local_bindings, parameter_names, target_names
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.walk import visit

# Decorators that leave a coroutine function one.
_KEEPING = frozenset({"staticmethod", "classmethod"})


def coroutine_functions(statements: Sequence[cst.CSTNode]) -> frozenset[str]:
    """Names of ``statements`` (a module's or a class's body) that are an undecorated
    ``async def`` and bound nowhere else there."""
    bound: Counter[str] = Counter()
    coroutines = set()
    for statement in statements:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            bound[statement.name.value] += 1
            if isinstance(statement, cst.FunctionDef) and _is_coroutine_def(statement):
                coroutines.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        bound.update(target_names(target.target))
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    bound.update(target_names(small.target))
                elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
                    small.names, cst.ImportStar
                ):
                    bound.update(
                        alias.evaluated_alias or alias.evaluated_name.split(".")[0]
                        for alias in small.names
                    )
        else:
            bound.update(_bound_inside(statement))  # conditionally: never certain
    return frozenset(name for name in coroutines if bound[name] == 1)


def _bound_inside(statement: cst.CSTNode) -> list[str]:
    """Names a compound statement binds (function and class bodies aside)."""
    found: list[str] = []

    class _Collect(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            found.append(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            found.append(node.name.value)
            return False

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.extend(target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            found.extend(target_names(node.target))

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            found.append(node.evaluated_alias or node.evaluated_name.split(".")[0])

    visit(statement, _Collect())
    return found


def _is_coroutine_def(function: cst.FunctionDef) -> bool:
    return function.asynchronous is not None and all(
        isinstance(d.decorator, cst.Name) and d.decorator.value in _KEEPING
        for d in function.decorators
    )


@dataclass(frozen=True)
class Coroutines:
    """What is provably a coroutine in one module (see the module's docstring):
    ``functions`` are :func:`coroutine_functions` of its body, ``methods`` those of the
    class whose method is asked about."""

    resolve: QualifiedNamesOf
    functions: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()

    def in_class(self, node: cst.ClassDef) -> Coroutines:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        return replace(self, methods=coroutine_functions(body))

    def provable(
        self, expression: cst.BaseExpression, function: cst.FunctionDef
    ) -> bool:
        """Whether ``expression``, in ``function``'s own body, is a coroutine."""
        if not isinstance(expression, cst.Call):
            return False
        func = expression.func
        if self.resolve(func) & COROUTINE_FUNCTION_NAMES:
            return True
        if isinstance(func, cst.Name):
            # The module's function, unless the function binds the name itself.
            return func.value in self.functions and func.value not in {
                *parameter_names(function),
                *(name for name, _, _ in local_bindings(function)),
            }
        return (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
            and func.attr.value in self.methods
        )
