"""The code that spawns a task into a TaskGroup, in the shapes of ``docs/design.md``.

Three shapes, chosen by what is known about the TaskGroup and the task's result:

- a TaskGroup certainly in scope: ``tg.create_task(...)`` in place;
- an optional one, result kept: a ``spawn`` alias picked once, then ``spawn(...)``;
- an optional one, result discarded: ``if tg is None:`` a strongly referenced
  ``asyncio.create_task(...)``, ``else: tg.create_task(...)``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.cst.build import (
    adopt_arguments,
    code_of,
    is_multiline,
    parse_statement,
    spawn_call,
    with_keyword,
)
from codemods.cst.imports import bound_from_import, ensure_from_import
from codemods.cst.matchers import (
    ClassScope,
    Frame,
    identifiers,
    local_bindings,
    parameter_names,
)

KEEPER = "_background_tasks"


@dataclass(frozen=True)
class Layout:
    """Where generated code starts and how long its lines may be."""

    column: int
    line_length: int
    module: cst.Module

    @property
    def unit(self) -> str:
        return self.module.default_indent


def alias_statement(
    alias: str, group: str, asyncio_name: str, module: cst.Module
) -> cst.BaseStatement:
    """``spawn = asyncio.create_task if tg is None else tg.create_task``."""
    code = f"{alias} = {asyncio_name}.create_task if {group} is None else {group}.create_task\n"
    return parse_statement(code, module)


def discarded_spawn(
    call: cst.Call,
    *,
    group: str,
    keeper: str,
    task: str,
    asyncio_name: str,
    layout: Layout,
) -> cst.BaseStatement:
    """The seed's conditional for a spawn whose result was thrown away.

    Without a TaskGroup the task is kept in ``keeper`` until done, so it cannot be
    garbage-collected mid-flight (the reason for RUF006).
    """
    unit = layout.unit
    inner = layout.column + len(unit)
    fallback = spawn_call(
        f"{asyncio_name}.create_task",
        call,
        column=inner,
        line_length=layout.line_length,
        unit=unit,
        prefix=f"{task} = ",
    )
    grouped = spawn_call(
        f"{group}.create_task",
        call,
        column=inner,
        line_length=layout.line_length,
        unit=unit,
    )
    code = (
        f"if {group} is None:\n"
        + _indented(fallback, unit)
        + f"{unit}{keeper}.add({task})\n"
        + f"{unit}{task}.add_done_callback({keeper}.discard)\n"
        + "else:\n"
        + _indented(grouped, unit)
    )
    statement = parse_statement(code, layout.module)
    if is_multiline(call):
        funcs = {f"{asyncio_name}.create_task", f"{group}.create_task"}
        statement = adopt_arguments(statement, funcs, call)
    return statement


def _indented(code: str, unit: str) -> str:
    return "".join(f"{unit}{line}\n" for line in code.splitlines())


def keeper_declaration(
    target: str, result_type: str, asyncio_name: str, module: cst.Module
) -> cst.BaseStatement:
    """``<target>: set[asyncio.Task[T]] = set()``."""
    return parse_statement(
        f"{target}: set[{asyncio_name}.Task[{result_type}]] = set()\n", module
    )


def declares(body: cst.CSTNode, target: str) -> bool:
    """Whether ``body`` (a function's, a statement) assigns ``target`` (``self._x``)."""
    found = False

    class _Find(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            nonlocal found
            found |= code_of(node.target) == target

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            nonlocal found
            found |= code_of(node.target) == target

    body.visit(_Find())
    return found


def append_to_function(
    function: cst.FunctionDef, statement: cst.BaseStatement
) -> cst.FunctionDef:
    """``function`` with ``statement`` as the last statement of its body."""
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):
        # `def __init__(self): pass` on one line: give it a block first.
        body = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=body.body)])
    assert isinstance(body, cst.IndentedBlock)
    return function.with_changes(body=body.with_changes(body=[*body.body, statement]))


def insert_after_imports(
    module: cst.Module, statement: cst.BaseStatement
) -> cst.Module:
    """``module`` with ``statement`` after its top imports, set off by a blank line."""
    body = list(module.body)
    index = 0
    while index < len(body) and _is_preamble(body[index], index):
        index += 1
    assert isinstance(statement, cst.SimpleStatementLine)
    body.insert(index, statement.with_changes(leading_lines=[cst.EmptyLine()]))
    return module.with_changes(body=body)


def _is_preamble(statement: cst.BaseStatement, index: int) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body
    if all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
        return True
    return (
        index == 0
        and len(small) == 1
        and isinstance(small[0], cst.Expr)
        and isinstance(small[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


class Keepers:
    """Where fallback tasks are kept alive, and the declarations that keeping needs.

    In a method of a class with ``__init__`` the keeper is ``self._background_tasks``,
    declared at the end of ``__init__``; anywhere else a module-level
    ``_background_tasks`` after the imports. ``T`` in ``set[asyncio.Task[T]]`` is the
    spawned coroutine function's return annotation when every spawn agrees, else ``Any``.
    """

    def __init__(self) -> None:
        self.module = cst.Module(body=[])
        self._returns: dict[tuple[str | None, str], str] = {}
        self._module_types: list[str] = []
        self._any_used = False
        self._any = "Any"

    def start(self, module: cst.Module) -> None:
        self.module = module
        self._returns = _async_return_types(module)
        self._any = bound_from_import(module, "typing", "Any") or "Any"

    def request(self, frame: Frame, call: cst.Call) -> str:
        """The keeper expression for a spawn of ``call`` in ``frame``."""
        scope = frame.method_of
        owner = None if scope is None else scope.node.name.value
        result = _result_type(call, owner, self._returns)
        if scope is not None and scope.init is not None:
            scope.keeper_types.append(result)
            return f"self.{KEEPER}"
        self._module_types.append(result)
        return KEEPER

    def _type(self, types: list[str]) -> str:
        if len(set(types)) == 1 and types[0] != "Any":
            return types[0]
        self._any_used = True
        return self._any

    def declare_in_class(
        self, scope: ClassScope | Frame, node: cst.ClassDef, asyncio_name: str
    ) -> cst.ClassDef:
        if not isinstance(scope, ClassScope) or not scope.keeper_types:
            return node
        statements = list(node.body.body)
        for index, statement in enumerate(statements):
            if (
                isinstance(statement, cst.FunctionDef)
                and statement.name.value == "__init__"
            ):
                if declares(statement.body, f"self.{KEEPER}"):
                    return node
                declaration = keeper_declaration(
                    f"self.{KEEPER}",
                    self._type(scope.keeper_types),
                    asyncio_name,
                    self.module,
                )
                statements[index] = append_to_function(statement, declaration)
                return node.with_changes(body=node.body.with_changes(body=statements))
        return node

    def declare_in_module(self, module: cst.Module, asyncio_name: str) -> cst.Module:
        if not self._module_types or _declares_top_level(module, KEEPER):
            return module
        declaration = keeper_declaration(
            KEEPER, self._type(self._module_types), asyncio_name, module
        )
        return insert_after_imports(module, declaration)

    def import_any(self, module: cst.Module) -> cst.Module:
        if not self._any_used:
            return module
        module, _ = ensure_from_import(module, "typing", "Any")
        return module


def _declares_top_level(module: cst.Module, name: str) -> bool:
    return any(
        isinstance(statement, cst.SimpleStatementLine) and declares(statement, name)
        for statement in module.body
    )


def _async_return_types(module: cst.Module) -> dict[tuple[str | None, str], str]:
    """Return annotations of the module's coroutine functions and methods."""
    found: dict[tuple[str | None, str], str] = {}

    def take(owner: str | None, statements: Sequence[cst.BaseStatement]) -> None:
        for statement in statements:
            if (
                isinstance(statement, cst.FunctionDef)
                and statement.asynchronous is not None
                and statement.returns is not None
            ):
                found[(owner, statement.name.value)] = code_of(
                    statement.returns.annotation
                )

    take(None, module.body)
    for statement in module.body:
        if isinstance(statement, cst.ClassDef) and isinstance(
            statement.body, cst.IndentedBlock
        ):
            take(statement.name.value, statement.body.body)
    return found


def _result_type(
    call: cst.Call, owner: str | None, returns: dict[tuple[str | None, str], str]
) -> str:
    """What awaiting the coroutine passed to ``call`` gives, when known."""
    coroutine = call.args[0].value if call.args else None
    if not isinstance(coroutine, cst.Call):
        return "Any"
    func = coroutine.func
    if isinstance(func, cst.Name):
        return returns.get((None, func.value), "Any")
    if (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value in ("self", "cls")
    ):
        return returns.get((owner, func.attr.value), "Any")
    return "Any"


ASSIGNMENTS = (cst.Assign, cst.AnnAssign, cst.AugAssign)


def insert_after_assignments(
    function: cst.FunctionDef, statement: cst.BaseStatement
) -> cst.FunctionDef:
    """``function`` with ``statement`` after the last assignment at the top of its body
    (not counting the keeper), else before the keeper, else at the end."""
    if not isinstance(function.body, cst.IndentedBlock):
        return append_to_function(function, statement)
    statements = list(function.body.body)
    keeper = f"self.{KEEPER}"
    assignments = [
        index
        for index, current in enumerate(statements)
        if isinstance(current, cst.SimpleStatementLine)
        and any(isinstance(s, ASSIGNMENTS) for s in current.body)
        and not declares(current, keeper)
    ]
    keepers = [i for i, current in enumerate(statements) if declares(current, keeper)]
    if assignments:
        position = assignments[-1] + 1
    else:
        position = keepers[0] if keepers else len(statements)
    statements.insert(position, statement)
    return function.with_changes(body=function.body.with_changes(body=statements))


class TaskNames:
    """The ``task-names`` option of TG003: a name template by spawned coroutine function
    (``_run_loop = 'f"workflow_{trace_id}"'``)."""

    def __init__(self, table: Mapping[str, object]) -> None:
        self.templates = {name: _parse_template(text) for name, text in table.items()}

    def template(self, call: cst.Call) -> cst.BaseExpression | str | None:
        """The template for the coroutine function ``call`` spawns (a str: why the
        configured one is unusable); None when there is none or the call has a name."""
        if any(a.keyword is not None and a.keyword.value == "name" for a in call.args):
            return None
        coroutine = call.args[0].value if call.args else None
        func = coroutine.func if isinstance(coroutine, cst.Call) else None
        if isinstance(func, cst.Attribute):
            return self.templates.get(func.attr.value)
        return self.templates.get(func.value) if isinstance(func, cst.Name) else None

    def apply(
        self,
        original: cst.Call,
        updated: cst.Call,
        function: cst.FunctionDef,
        line_of: Callable[[cst.CSTNode], int],
    ) -> cst.Call | str:
        """``updated`` with ``name=<template>`` when every name the template reads is in
        scope at ``original`` (a parameter, a builtin, or a local bound on an earlier
        line); a str when the configured template is unusable."""
        template = self.template(original)
        if template is None or isinstance(template, str):
            return updated if template is None else template
        line = line_of(original)
        in_scope = {*parameter_names(function), *dir(builtins)}
        bindings = local_bindings(function)
        in_scope.update(name for name, node, _ in bindings if line_of(node) < line)
        if identifiers(template) - in_scope:
            return updated
        return with_keyword(updated, "name", template)


def _parse_template(text: object) -> cst.BaseExpression | str:
    reason = f"the task-names template {text!r} is not a Python expression"
    if not isinstance(text, str):
        return reason
    try:
        return cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return reason


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
                statement = insert_after_assignments(statement, store)
            statements[index] = statement
            break
    return node.with_changes(body=node.body.with_changes(body=statements))
