"""Recognising code by meaning: qualified names, spawn calls, TaskGroups in scope.

Shared by every codemod that needs them; a pattern used by two codemods lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import QualifiedName, QualifiedNameSource

# Gives the (absolute) qualified names of a node; codemods bind it to their metadata.
QualifiedNamesOf = Callable[[cst.CSTNode], set[str]]

TASKGROUP_NAMES = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})
SPAWN_FUNCTIONS = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    }
)
LOOP_GETTERS = frozenset(
    {
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.events.get_running_loop",
    }
)


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def absolute(name: str, module_name: str | None) -> str:
    """Resolve a relative qualified name (``.tracker.track_task``) against a module."""
    if not name.startswith(".") or module_name is None:
        return name
    level = len(name) - len(name.lstrip("."))
    package = module_name.split(".")[: -level or None]
    rest = name[level:]
    return ".".join([*package, rest]) if package else rest


def imported_names(names: Iterable[QualifiedName], module_name: str | None) -> set[str]:
    """Absolute qualified names that came from an import (not local definitions)."""
    return {
        absolute(q.name, module_name)
        for q in names
        if q.source is QualifiedNameSource.IMPORT
    }


def matches_configured(qualified: Collection[str], configured: Sequence[str]) -> bool:
    """Whether an imported name is one of the configured functions.

    A dotted entry must match exactly; a bare entry matches that name from any module.
    """
    for name in qualified:
        last = name.rsplit(".", 1)[-1]
        for wanted in configured:
            if name == wanted or ("." not in wanted and last == wanted):
                return True
    return False


def is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


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

    @property
    def init(self) -> cst.FunctionDef | None:
        for statement in self.node.body.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
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
    if enclosing is not None and _is_instance_method(function):
        frame.method_of = enclosing
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.annotation is None:
            continue
        kind = taskgroup_annotation(param.annotation.annotation, resolve)
        if kind is not None:
            frame.taskgroup_params[param.name.value] = kind
    return frame


def _is_instance_method(function: cst.FunctionDef) -> bool:
    params = function.params
    if not (params.posonly_params or params.params):
        return False
    return not any(
        isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
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


def names_used(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled inside ``node`` (for choosing fresh names)."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

    node.visit(_Collect())
    return found


def self_attributes(node: cst.CSTNode) -> set[str]:
    """Attributes read or assigned as ``self.<name>`` inside ``node``."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            if (
                isinstance(attribute.value, cst.Name)
                and attribute.value.value == "self"
            ):
                found.add(attribute.attr.value)

    node.visit(_Collect())
    return found
