"""TG002 sync-start: a lifecycle method that spawns tasks becomes ``async`` and takes a
TaskGroup, and every call of it in the run awaits it."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider

from codemods.analysis.families import Lifecycle
from codemods.cst.build import (
    add_parameter,
    code_of,
    fresh_name,
)
from codemods.cst.find import discarded_call
from codemods.cst.imports import bound_module_name, ensure_import
from codemods.cst.names import names_used, parameter_names
from codemods.cst.place import insert_before_first_use
from codemods.cst.scopes import Frame
from codemods.cst.spawn_code import Keepers, Layout, alias_statement, discarded_spawn
from codemods.cst.spawns import event_loops, spawn_call_kind, unsupported_spawn
from codemods.rules.codemod import CodemodContext, Environment
from codemods.rules.sync_start.call_sites import AwaitingCallSites
from codemods.rules.sync_start.loop_checks import (
    without_loop_checks,
    without_unused_loops,
)
from codemods.rules.sync_start.spec import SPEC
from codemods.rules.sync_start.stored import declare_in_class, store_in_start


class SyncStart(AwaitingCallSites, spec=SPEC):
    """Make a lifecycle method that starts background tasks async, taking a TaskGroup.

    ## What it does
    Finds synchronous lifecycle methods (``lifecycle-methods``, default ``start``) that
    start background tasks: calls of a tracker (``trackers``), ``asyncio.create_task``,
    ``asyncio.ensure_future``, or ``create_task`` on the running loop. Each becomes
    ``async def start(self, tg: asyncio.TaskGroup | None = None)``; its
    ``asyncio.get_running_loop()`` check goes (a coroutine always runs in a loop), its
    docstring stays, and its spawns use ``tg`` when given, else ``asyncio.create_task``
    with the task kept (tracker calls are left to TG001, which runs next). Overrides in
    subclasses and the base they override convert together. Then every call of a
    converted method in the run, found through annotations, constructors, factories,
    module-level instances, loops over annotated containers, imports, aliases and
    re-exports (never by name alone), is awaited, and passes the TaskGroup in scope:
    ``await audit.start(tg=tg)``. When another method of the class calls something
    that takes the TaskGroup (``bus.emit`` gaining ``tg``), ``start`` keeps it as
    ``self.tg`` (declared None in ``__init__``) and TG005 passes ``tg=self.tg`` there.

    ## Why is this bad?
    A synchronous ``start`` can only fire and forget: the tasks it starts belong to no
    one, so shutdown cannot wait for them and their failures go unnoticed. Taking the
    caller's TaskGroup puts them under its supervision. And once ``start`` takes
    ``tg=``, a caller already passing one (expecting the new signature) no longer fails
    with ``TypeError``.

    ## Fix safety
    Unsafe: the method becomes a coroutine function, so every caller must await it. The
    codemod awaits the calls it can resolve inside ``async`` functions; a call from
    synchronous code (or a lambda) is reported with its caller, and so is the method
    used as a value (``hooks.append(audit.start)``); a call through a receiver it
    cannot resolve is left alone, so review these. A family that may
    override a method of a class from outside the project, or has a member marked
    ``# noqa: TG002``, is reported and left unchanged. Every finding of one conversion
    carries the same group, ``TG002:<module>.<Class>.<method>``.
    """

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.keepers = Keepers()
        self.asyncio_name = "asyncio"
        self.uses_asyncio = False
        # Lifecycle methods being converted (original nodes), and their loop locals.
        self.converting: dict[cst.FunctionDef, set[str]] = {}
        self.discarded: set[cst.Call] = set()
        self.rebuild: dict[cst.Call, Frame] = {}
        self.called: set[cst.BaseExpression] = set()
        # Converted methods keeping their TaskGroup as `self.tg`, and their classes.
        self.storing: set[cst.FunctionDef] = set()
        self.storing_classes: set[str] = set()

    def runs_async(self, frame: Frame) -> bool:
        return frame.is_async or frame.function in self.converting

    # -- finding ----------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.asyncio_name = bound_module_name(node, "asyncio") or "asyncio"
        self.keepers.start(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        owner = self.class_name()
        if not super().visit_FunctionDef(node):
            return False
        frame = self.frame
        name = node.name.value
        if (
            owner is None
            or frame is None
            or frame.method_of is None
            or node.asynchronous is not None
            or name not in self.settings.lifecycle_methods
        ):
            return True
        conversion = self.index.lifecycle(owner, name)
        if conversion is not None and self._convert(node, frame, owner, conversion):
            self.converting[node] = event_loops(node, self.qualified)
            frame.taskgroup_params.setdefault(self.param, "optional")
            if self.index.keeps_started_taskgroup(owner):
                self.storing.add(node)
                self.storing_classes.add(owner)
        return True

    def _convert(
        self, node: cst.FunctionDef, frame: Frame, owner: str, conversion: Lifecycle
    ) -> bool:
        member = f"{owner.rpartition('.')[2]}.{node.name.value}"
        shown = f"`{member}()`"
        if conversion.problem is not None:
            culprit = (
                "it" if conversion.culprit == member else f"`{conversion.culprit}()`"
            )
            message = (
                f"{shown} starts background tasks but stays synchronous: {culprit} "
                f"{conversion.problem}; convert the family by hand"
            )
            self.report(node, message, fixable=False, group=conversion.group)
            return False
        message = (
            f"make {shown} async, taking `{self.param}: asyncio.TaskGroup | None`, "
            "and await it where it is called"
        )
        return self.report(node, message, fixable=True, group=conversion.group)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        call = discarded_call(node)
        if call is not None:
            self.discarded.add(call)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        self.called.add(node.func)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """A converted method used as a value (``hooks.append(audit.start)``): whoever
        calls it later gets a coroutine, and nothing starts unless it is awaited."""
        super().visit_Attribute(node)
        methods = self.settings.lifecycle_methods
        if node in self.called or node.attr.value not in methods:
            return
        call = self.lifecycle_call(node)
        if call is not None:
            message = (
                f"`{code_of(node)}` refers to `{call.target}()`, which TG002 makes "
                "async: whoever calls it must await it; change that code by hand"
            )
            self.report(node, message, fixable=False, group=call.group)

    # -- rewriting calls --------------------------------------------------------------

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        frame = self.frame
        if (
            frame is not None
            and frame.function in self.converting
            and not self.deferred
        ):
            loops = self.converting[frame.function]
            kind = spawn_call_kind(original_node, self.qualified, (), loops)
            if kind is not None:
                return self._spawn(frame, original_node, updated_node, kind)
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in self.settings.lifecycle_methods
        ):
            call = self.lifecycle_call(func)
            if call is not None:
                return self.call_site(frame, original_node, updated_node, call)
        return updated_node

    def _spawn(
        self, frame: Frame, original: cst.Call, updated: cst.Call, kind: str
    ) -> cst.BaseExpression:
        problem = unsupported_spawn(original, kind)
        if problem is not None:
            spelled = f"`{code_of(original.func)}()`"
            self.report(original, f"{spelled} {problem}", fixable=False)
            return updated
        self.uses_asyncio = True
        if original in self.discarded:
            self.rebuild[original] = frame
            return updated
        if frame.alias is None:
            frame.alias = fresh_name("spawn", names_used(frame.function))
            frame.alias_group = self.param
        return updated.with_changes(func=cst.Name(frame.alias))

    def leave_SimpleStatementLine(
        self,
        original_node: cst.SimpleStatementLine,
        updated_node: cst.SimpleStatementLine,
    ) -> cst.BaseStatement:
        expression = original_node.body[0]
        call = expression.value if isinstance(expression, cst.Expr) else None
        if not (isinstance(call, cst.Call) and call in self.rebuild):
            return updated_node
        frame = self.rebuild.pop(call)
        generated = updated_node.body[0]
        assert isinstance(generated, cst.Expr) and isinstance(generated.value, cst.Call)
        column = self.get_metadata(PositionProvider, original_node).start.column
        statement = discarded_spawn(
            generated.value,
            group=self.param,
            keeper=self.keepers.request(frame, generated.value),
            task=fresh_name("task", names_used(frame.function)),
            asyncio_name=self.asyncio_name,
            layout=Layout(column, self.settings.line_length, self.keepers.module),
        )
        return statement.with_changes(leading_lines=updated_node.leading_lines)

    # -- rewriting definitions --------------------------------------------------------

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        frame = self.frame
        super().leave_FunctionDef(original_node, updated_node)
        if frame is None or original_node not in self.converting:
            return updated_node
        self.uses_asyncio = True
        function = without_loop_checks(
            original_node,
            updated_node,
            self.qualified,
            self.converting[original_node],
        )
        function = without_unused_loops(function, self.converting[original_node])
        function = function.with_changes(asynchronous=cst.Asynchronous())
        if self.param not in parameter_names(original_node):
            function = add_parameter(
                function,
                f"{self.param}: {self.asyncio_name}.TaskGroup | None = None",
                column=self.get_metadata(PositionProvider, original_node).start.column,
                line_length=self.settings.line_length,
                unit=self.keepers.module.default_indent,
            )
        if frame.alias is not None:
            alias = alias_statement(
                frame.alias, self.param, self.asyncio_name, self.keepers.module
            )
            function = insert_before_first_use(function, alias, frame.alias)
        if original_node in self.storing:
            function = store_in_start(function, self.param, self.keepers.module)
        return function

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        scope = self.scopes[-1]
        owner = self.class_name()
        super().leave_ClassDef(original_node, updated_node)
        if owner in self.storing_classes:
            updated_node = declare_in_class(
                updated_node, self.param, self.asyncio_name, self.keepers.module
            )
        return self.keepers.declare_in_class(scope, updated_node, self.asyncio_name)

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        if not self.uses_asyncio:
            return updated_node
        module = self.keepers.declare_in_module(updated_node, self.asyncio_name)
        module, _ = ensure_import(module, "asyncio", self.settings.import_order)
        return self.keepers.import_any(module, self.settings)
