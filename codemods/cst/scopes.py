"""What is in scope where a codemod is: the enclosing class and function, and the
TaskGroups a function holds (a parameter annotated ``asyncio.TaskGroup``, optional or
not, and the targets of enclosing ``async with asyncio.TaskGroup() as tg:``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.core.asyncio_names import TASKGROUP_NAMES
from codemods.cst.names import is_none
from codemods.cst.qualified import QualifiedNamesOf


def taskgroup_annotation(
    annotation: cst.BaseExpression, resolve: QualifiedNamesOf
) -> str | None:
    """``"required"`` for ``TaskGroup``, "optional" for ``TaskGroup | None`` and the like."""
    if resolve(annotation) & TASKGROUP_NAMES:
        return "required"
    if isinstance(annotation, cst.BinaryOperation) and isinstance(
        annotation.operator, cst.BitOr
    ):
        sides = (annotation.left, annotation.right)
        if any(is_none(side) for side in sides) and any(
            resolve(side) & TASKGROUP_NAMES for side in sides
        ):
            return "optional"
    if isinstance(annotation, cst.Subscript) and resolve(annotation.value) & {
        "typing.Optional"
    }:
        elements = annotation.slice
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Index):
            if resolve(elements[0].slice.value) & TASKGROUP_NAMES:
                return "optional"
    return None


@dataclass
class ClassScope:
    """A class being visited, and what codemods decided to add to it."""

    node: cst.ClassDef
    # Result types of the tasks its background-task keeper will hold.
    keeper_types: list[str] = field(default_factory=list)
    # Whether it may hold a plain Future too (``ensure_future`` kept as written).
    keeper_futures: bool = False

    @property
    def init(self) -> cst.FunctionDef | None:
        for statement in self.node.body.body:
            if (
                isinstance(statement, cst.FunctionDef)
                and statement.name.value == "__init__"
            ):
                return statement
        return None


@dataclass
class Frame:
    """One function being visited: its TaskGroups and what it spawns."""

    function: cst.FunctionDef
    is_async: bool
    # The class it is a method of (not for static methods), if any.
    method_of: ClassScope | None = None
    # The `spawn` alias codemods chose for this function, and the group it picks from.
    alias: str | None = None
    alias_group: str | None = None
    # Parameter name -> "required" | "optional".
    taskgroup_params: dict[str, str] = field(default_factory=dict)
    # Targets of enclosing `async with asyncio.TaskGroup() as name:`, innermost last.
    taskgroup_blocks: list[str] = field(default_factory=list)

    def taskgroup(self) -> tuple[str, str] | None:
        """(name, "required"|"optional") of the TaskGroup to use here, if any."""
        if self.taskgroup_blocks:
            return self.taskgroup_blocks[-1], "required"
        for kind in ("required", "optional"):
            for name, found in self.taskgroup_params.items():
                if found == kind:
                    return name, kind
        return None


def frame_for(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, enclosing: ClassScope | None
) -> Frame:
    frame = Frame(function, is_async=function.asynchronous is not None)
    if enclosing is not None and is_instance_method(function):
        frame.method_of = enclosing
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.annotation is None:
            continue
        kind = taskgroup_annotation(param.annotation.annotation, resolve)
        if kind is not None:
            frame.taskgroup_params[param.name.value] = kind
    return frame


def is_instance_method(function: cst.FunctionDef) -> bool:
    params = function.params
    if not (params.posonly_params or params.params):
        return False
    return not any(
        isinstance(d.decorator, cst.Name)
        and d.decorator.value in ("staticmethod", "classmethod")
        for d in function.decorators
    )


def taskgroup_targets(node: cst.With, resolve: QualifiedNamesOf) -> list[str]:
    """Names bound by ``async with asyncio.TaskGroup() as name`` items of ``node``."""
    if node.asynchronous is None:
        return []
    names = []
    for item in node.items:
        call = item.item
        if (
            isinstance(call, cst.Call)
            and resolve(call.func) & TASKGROUP_NAMES
            and item.asname is not None
            and isinstance(item.asname.name, cst.Name)
        ):
            names.append(item.asname.name.value)
    return names
