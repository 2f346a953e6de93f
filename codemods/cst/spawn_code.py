"""The code that spawns a task into a TaskGroup, in the shapes of ``docs/design.md``.

Three shapes, chosen by what is known about the TaskGroup and the task's result:

- a TaskGroup certainly in scope: ``tg.create_task(...)`` in place;
- an optional one, result kept: a ``spawn`` alias picked once, then ``spawn(...)``;
- an optional one, result discarded: ``if tg is None:`` a strongly referenced
  ``asyncio.create_task(...)``, ``else: tg.create_task(...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.core.settings import Settings
from codemods.cst.build import (
    adopt_arguments,
    code_of,
    is_multiline,
    parse_statement,
    spawn_call,
)
from codemods.cst.imports import bound_from_import, ensure_from_import
from codemods.cst.place import append_to_function, declares, insert_after_imports
from codemods.cst.scopes import ClassScope, Frame

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
    comment: cst.TrailingWhitespace | None = None,
) -> cst.BaseStatement:
    """The seed's conditional for a spawn whose result was thrown away.

    Without a TaskGroup the task is kept in ``keeper`` until done, so it cannot be
    garbage-collected mid-flight (the reason for RUF006). The original line's trailing
    ``comment`` (a ``# type: ignore``, ``# pragma: no cover``, ...) goes on both lines
    that carry the call.
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
    if comment is not None and comment.comment is not None:
        statement = _with_comment(statement, comment)
    return statement


def _with_comment(
    statement: cst.BaseStatement, comment: cst.TrailingWhitespace
) -> cst.BaseStatement:
    """``statement`` (the conditional) with ``comment`` on the first line of each
    branch, the lines that carry the spawn."""
    assert isinstance(statement, cst.If) and isinstance(statement.orelse, cst.Else)

    def carry(suite: cst.BaseSuite) -> cst.BaseSuite:
        assert isinstance(suite, cst.IndentedBlock)
        first = suite.body[0]
        assert isinstance(first, cst.SimpleStatementLine)
        body = [first.with_changes(trailing_whitespace=comment), *suite.body[1:]]
        return suite.with_changes(body=body)

    return statement.with_changes(
        body=carry(statement.body),
        orelse=statement.orelse.with_changes(body=carry(statement.orelse.body)),
    )


def kept_spawn(
    spawn: cst.Call,
    *,
    keeper: str,
    task: str,
    module: cst.Module,
    line: cst.SimpleStatementLine,
) -> list[cst.BaseStatement]:
    """``task = <spawn as written>`` (on ``line``, its comments kept) and the strong
    reference ``keeper`` holds until the task is done, for a spawn no TaskGroup takes."""
    assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(task))], value=spawn)
    return [
        line.with_changes(body=[assign]),
        parse_statement(f"{keeper}.add({task})\n", module),
        parse_statement(f"{task}.add_done_callback({keeper}.discard)\n", module),
    ]


def _indented(code: str, unit: str) -> str:
    return "".join(f"{unit}{line}\n" for line in code.splitlines())


def keeper_declaration(
    target: str,
    result_type: str,
    asyncio_name: str,
    module: cst.Module,
    holds: str = "Task",
) -> cst.BaseStatement:
    """``<target>: set[asyncio.Task[T]] = set()`` (``Future`` when it may hold one)."""
    return parse_statement(
        f"{target}: set[{asyncio_name}.{holds}[{result_type}]] = set()\n", module
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
        self._module_futures = False
        self._any_used = False
        self._any = "Any"

    def start(self, module: cst.Module) -> None:
        self.module = module
        self._returns = _async_return_types(module)
        self._any = bound_from_import(module, "typing", "Any") or "Any"

    def request(self, frame: Frame, call: cst.Call, *, future: bool = False) -> str:
        """The keeper expression for a spawn of ``call`` in ``frame``; ``future``: the
        spawn may return a plain Future rather than a Task."""
        scope = frame.method_of
        owner = None if scope is None else scope.node.name.value
        result = "Any" if future else _result_type(call, owner, self._returns)
        if scope is not None and scope.init is not None:
            scope.keeper_types.append(result)
            scope.keeper_futures = scope.keeper_futures or future
            return f"self.{KEEPER}"
        self._module_types.append(result)
        self._module_futures = self._module_futures or future
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
                    "Future" if scope.keeper_futures else "Task",
                )
                statements[index] = append_to_function(statement, declaration)
                return node.with_changes(body=node.body.with_changes(body=statements))
        return node

    def declare_in_module(self, module: cst.Module, asyncio_name: str) -> cst.Module:
        if not self._module_types or _declares_top_level(module, KEEPER):
            return module
        declaration = keeper_declaration(
            KEEPER,
            self._type(self._module_types),
            asyncio_name,
            module,
            "Future" if self._module_futures else "Task",
        )
        return insert_after_imports(module, declaration)

    def import_any(self, module: cst.Module, settings: Settings) -> cst.Module:
        """``module`` importing ``typing.Any`` if a keeper's type needs it, in the
        project's style."""
        if not self._any_used:
            return module
        module, _ = ensure_from_import(
            module,
            "typing",
            "Any",
            line_length=settings.line_length,
            order=settings.import_order,
        )
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
