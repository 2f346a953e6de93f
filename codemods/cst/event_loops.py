"""Which receivers of ``.create_task(...)`` are event loops, and which of them is the
loop the code runs in.

A spawn on the running loop may become ``asyncio.create_task``/``tg.create_task``; a
spawn on another loop (``asyncio.new_event_loop()``, a loop handed in, ``self.loop``)
keeps its receiver, since that loop need not run yet (``loop.run_forever()`` often
comes after).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

import libcst as cst

from codemods.core.asyncio_names import (
    EVENT_LOOP_TYPES,
    LOOP_ATTRIBUTE,
    LOOP_GETTERS,
    NEW_LOOP_GETTERS,
    RUNNING_LOOP_GETTERS,
)
from codemods.cst.names import dotted, is_none, self_attributes
from codemods.cst.qualified import QualifiedNamesOf, resolver_bindings
from codemods.cst.scopes import ClassScope
from codemods.cst.walk import visit

LoopKind = Literal["running", "other"]


def _is_loop_type(annotation: cst.BaseExpression, resolve: QualifiedNamesOf) -> bool:
    """``asyncio.AbstractEventLoop``, optional or not (``X | None``, ``Optional[X]``)."""
    if isinstance(annotation, cst.BinaryOperation) and isinstance(
        annotation.operator, cst.BitOr
    ):
        sides = (annotation.left, annotation.right)
        return any(is_none(side) for side in sides) and any(
            _is_loop_type(side, resolve) for side in sides if not is_none(side)
        )
    if isinstance(annotation, cst.Subscript) and len(annotation.slice) == 1:
        inner = annotation.slice[0].slice
        return (
            bool(resolve(annotation.value) & {"typing.Optional"})
            and isinstance(inner, cst.Index)
            and _is_loop_type(inner.value, resolve)
        )
    return bool(resolve(annotation) & EVENT_LOOP_TYPES)


def _gives_loop(value: cst.BaseExpression | None, resolve: QualifiedNamesOf) -> bool:
    return isinstance(value, cst.Call) and bool(
        resolve(value.func) & (LOOP_GETTERS | NEW_LOOP_GETTERS)
    )


def loop_parameters(function: cst.FunctionDef, resolve: QualifiedNamesOf) -> set[str]:
    """Parameters of ``function`` annotated as an asyncio event loop."""
    params = function.params
    return {
        param.name.value
        for param in (*params.posonly_params, *params.params, *params.kwonly_params)
        if param.annotation is not None
        and _is_loop_type(param.annotation.annotation, resolve)
    }


def loop_attributes(scope: ClassScope, resolve: QualifiedNamesOf) -> set[str]:
    """``self.<name>`` attributes that hold an event loop: ``__init__`` only ever sets
    them to one (a loop getter's result, a parameter annotated as a loop, or with that
    annotation), or, named ``loop``/``*_loop``, never to anything else in the class
    (a base class's ``__init__`` set it)."""
    init = scope.init
    parameters = set() if init is None else loop_parameters(init, resolve)
    found: dict[str, bool] = {}

    class _Collect(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                take(target.target, node.value, None)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            take(node.target, node.value, node.annotation.annotation)

    def take(
        target: cst.BaseExpression,
        value: cst.BaseExpression | None,
        annotation: cst.BaseExpression | None,
    ) -> None:
        name = dotted(target)
        if name is None or not name.startswith("self.") or name.count(".") != 1:
            return
        is_loop = (
            (annotation is not None and _is_loop_type(annotation, resolve))
            or _gives_loop(value, resolve)
            or (isinstance(value, cst.Name) and value.value in parameters)
        )
        key = name.removeprefix("self.")
        found[key] = found.get(key, True) and is_loop

    visit(scope.node.body, _Collect())
    named = LOOP_ATTRIBUTE.search
    return {name for name, only in found.items() if only} | {
        name
        for name in self_attributes(scope.node)
        if named(name) and name not in found
    }


def loop_locals(
    function: cst.FunctionDef, resolve: QualifiedNamesOf
) -> dict[str, LoopKind]:
    """Locals and parameters of ``function`` holding an event loop, and whether it is
    the one the function runs in (``get_running_loop()``, or ``get_event_loop()`` in
    a coroutine, where it is the running loop)."""
    running = RUNNING_LOOP_GETTERS | (
        LOOP_GETTERS if function.asynchronous is not None else frozenset()
    )
    kinds: dict[str, LoopKind | None] = dict.fromkeys(
        loop_parameters(function, resolve), "other"
    )
    for name, _, value in resolver_bindings(resolve)(function):
        kind: LoopKind | None = None
        if isinstance(value, cst.Call) and resolve(value.func) & running:
            kind = "running"
        elif _gives_loop(value, resolve):
            kind = "other"
        previous = kinds.get(name, kind)
        # Bound to the running loop on one path, another loop on the other: "other".
        mixed = previous is not None and kind is not None and previous != kind
        kinds[name] = "other" if mixed else (kind if previous == kind else None)
    return {name: kind for name, kind in kinds.items() if kind is not None}


def loop_receiver(
    call: cst.Call,
    resolve: QualifiedNamesOf,
    locals_: dict[str, LoopKind],
    attributes: Collection[str],
    *,
    in_coroutine: bool,
) -> LoopKind | None:
    """Whether ``call`` is ``<event loop>.create_task(...)``, and on which loop."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "create_task"):
        return None
    owner = func.value
    if isinstance(owner, cst.Name):
        return locals_.get(owner.value)
    if isinstance(owner, cst.Call):
        names = resolve(owner.func)
        if names & RUNNING_LOOP_GETTERS or (in_coroutine and names & LOOP_GETTERS):
            return "running"
        return "other" if names & (LOOP_GETTERS | NEW_LOOP_GETTERS) else None
    name = dotted(owner)
    if name is not None and name.removeprefix("self.") in attributes:
        return "other"
    return None
