"""TG003: how a class comes to keep the TaskGroup its methods spawn into, as
``self.<param>``, and the ``__init__`` that takes and stores it."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.cst.coroutines import Coroutines
from codemods.cst.names import dotted, identifiers, parameter_names, target_names
from codemods.cst.place import insert_after_assignments
from codemods.cst.qualified import QualifiedNamesOf
from codemods.cst.scopes import ClassScope, frame_for, is_instance_method
from codemods.cst.spawn_code import KEEPER
from codemods.cst.walk import visit
from codemods.rules.dangling_task.analysis import dangling_spawns


def group_keeping(
    node: cst.ClassDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> tuple[bool, bool] | None:
    """How class ``node`` comes to keep a TaskGroup in ``self.<param>``: (``__init__``
    needs the parameter, it needs ``self.<param> = <param>``); None when it cannot
    (no ``__init__``, or ``<param>`` already means something else there)."""
    init = ClassScope(node).init
    if init is None:
        return None
    has_param = param in parameter_names(init)
    if has_param and param not in frame_for(init, resolve, None).taskgroup_params:
        return None
    if has_param and _stores(init, param):
        return (False, False)
    # Reading `self.<param>` is no other meaning (code expecting this very attribute);
    # assigning it, or a class attribute of that name, is.
    if param in _assigned_attributes(node) or param in _class_level_names(node):
        return None
    if not has_param and param in identifiers(init.body):
        return None
    return (not has_param, True)


def _assigned_attributes(node: cst.ClassDef) -> set[str]:
    """Attributes assigned as ``self.<name>`` anywhere in class ``node``."""
    found: set[str] = set()

    def take(target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                take(element.value)
        elif isinstance(target, cst.StarredElement):
            take(target.value)
        elif (name := dotted(target)) is not None and name.startswith("self."):
            found.add(name.removeprefix("self."))

    class _Collect(cst.CSTVisitor):
        def visit_AssignTarget(self, assign: cst.AssignTarget) -> None:
            take(assign.target)

        def visit_AnnAssign(self, assign: cst.AnnAssign) -> None:
            take(assign.target)

        def visit_AugAssign(self, assign: cst.AugAssign) -> None:
            take(assign.target)

    visit(node, _Collect())
    return found


def _class_level_names(node: cst.ClassDef) -> set[str]:
    """Names bound or annotated directly in the body of class ``node``."""
    found: set[str] = set()
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        found.update(target_names(target.target))
                elif isinstance(small, cst.AnnAssign):
                    found.update(target_names(small.target))
    return found


def _stores(init: cst.FunctionDef, param: str) -> bool:
    """Whether ``__init__`` has a top-level ``self.<param> [: T] = <param>``."""
    statements = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                target, value = small.target, small.value
            else:
                continue
            if dotted(target) == f"self.{param}" and dotted(value) == param:
                return True
    return False


def constructor_gains_taskgroup(
    node: cst.ClassDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    coroutines: Coroutines | None = None,
) -> bool:
    """Whether TG003 adds ``<param>`` to class ``node``'s ``__init__`` (so that code
    constructing it inside a TaskGroup can pass one). ``# noqa`` is not consulted."""
    keeping = group_keeping(node, resolve, param)
    if keeping is None or not keeping[0]:
        return False
    methods = [
        statement
        for statement in node.body.body
        if isinstance(statement, cst.FunctionDef) and is_instance_method(statement)
    ]
    provable = (coroutines or Coroutines(resolve)).in_class(node)
    return any(dangling_spawns(method, resolve, param, provable) for method in methods)


INIT = "__init__"


def keep_in_init(
    node: cst.ClassDef,
    store: cst.BaseStatement | None,
    add_param: Callable[[cst.FunctionDef], cst.FunctionDef] | None,
) -> cst.ClassDef:
    """Class ``node`` whose ``__init__`` gets a parameter through ``add_param`` and
    ``store`` (``self.tg = tg``) after its other assignments, when given."""
    statements = list(node.body.body)
    for index, statement in enumerate(statements):
        if isinstance(statement, cst.FunctionDef) and statement.name.value == INIT:
            if add_param is not None:
                statement = add_param(statement)
            if store is not None:
                statement = insert_after_assignments(statement, store, KEEPER)
            statements[index] = statement
            break
    return node.with_changes(body=node.body.with_changes(body=statements))
