"""TG003 dangling-task: a task whose result is thrown away goes into a TaskGroup."""

from __future__ import annotations

from functools import partial

import libcst as cst
from libcst.metadata import PositionProvider

from codemods.cst.build import (
    add_parameter,
    code_of,
    fresh_name,
    parse_statement,
)
from codemods.cst.coroutines import Coroutines, coroutine_functions
from codemods.cst.event_loops import loop_attributes
from codemods.cst.imports import bound_module_name, ensure_import
from codemods.cst.names import names_used
from codemods.cst.scopes import ClassScope, Frame
from codemods.cst.spawn_code import Keepers, Layout, discarded_spawn
from codemods.cst.spawns import spawn_imports, spawn_kind
from codemods.rules.codemod import CodemodContext, Environment
from codemods.rules.dangling_task.analysis import (
    KEEP_FUTURE,
    KEEP_SYNC,
    Dangling,
    find_dangling,
)
from codemods.rules.dangling_task.endpoints import Endpoints
from codemods.rules.dangling_task.keeping import group_keeping, keep_in_init
from codemods.rules.dangling_task.kept import KeptSpawns, spawn_of
from codemods.rules.dangling_task.optional import OptionalGroups
from codemods.rules.dangling_task.spec import SPEC
from codemods.rules.dangling_task.task_names import TaskNames
from codemods.rules.dangling_task.values import TakenFunctions
from codemods.rules.scope_tracking import ScopeTracking


class DanglingTask(ScopeTracking, spec=SPEC):
    """Spawn tasks whose result is thrown away into a TaskGroup.

    ## What it does
    Finds ``asyncio.create_task(...)``, ``asyncio.ensure_future(...)`` and
    ``create_task`` on an event loop (a local or parameter holding one, a ``self.<x>``
    that ``__init__`` sets to one, ``asyncio.get_event_loop()``/``get_running_loop()``),
    resolved through imports and aliases, whose task is thrown away: a statement of its
    own, or assigned to ``_`` or to a name never read. A TaskGroup certainly in scope
    (a parameter annotated ``asyncio.TaskGroup``, or an enclosing
    ``async with asyncio.TaskGroup() as g:``) takes the task in place. Otherwise, in a
    coroutine, the function gains ``tg: asyncio.TaskGroup | None = None``; in a method,
    the class's ``__init__`` gains it too and keeps it as ``self.tg``, and the task goes
    to the call's TaskGroup, else ``self.tg``, else ``asyncio.create_task`` with a
    strong reference kept until it is done. No dead plumbing: the parameter and
    ``self.tg`` are added only where some caller in the run passes one (a call inside a
    TaskGroup, or from a function that has or gains one, or from an entry point), and
    never to a function taken as a value (a callback; only ``Depends(f)``: see TG005's
    wrapper); there only the strong reference is written, and the finding says why. A
    FastAPI endpoint takes the run's one root that TG007 opens as a dependency instead
    (``endpoints.py``): ``tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]``.
    A synchronous method (a callback, often: ``bus.subscribe("failed",
    self.on_failed)``) cannot take a parameter; when some construction of its class
    passes a TaskGroup, ``__init__`` gains it and keeps it as ``self.tg``, and the task
    goes to ``self.tg``, else the strong reference. ``TaskGroup.create_task`` raises
    once the group is shutting down, so such a callback must not run after the group's
    end begins: the finding says so. Where no TaskGroup can take the task, the spawn
    stays as written and only the strong reference is added: in any other synchronous
    function or callback, in a pytest test or fixture (pytest calls it, not code that
    could pass a TaskGroup), on an event loop other than the running one (it need not
    run yet), and for ``ensure_future`` of anything not provably a coroutine (a call of
    an ``async def`` of the module or class, or of asyncio's ``sleep``, ``wait_for``,
    ...): ``run_in_executor``, ``gather``, ``shield``, a Future or Task variable may be
    a Future, which ``TaskGroup.create_task`` rejects. Comments on the rewritten line
    stay on the lines that carry the call; a ``# type: ignore[unused-awaitable]`` among
    them then ignores nothing, which the finding says. The ``task-names`` option names
    the task after the coroutine function it runs (``_run_loop =
    'f"workflow_{trace_id}"'``), wherever every name the template reads is in scope.

    ## Why is this bad?
    The event loop keeps only a weak reference to a task: one nobody holds can be
    garbage-collected before it finishes (RUF006). Nothing awaits it, its exception
    is logged late or never, and shutdown can neither wait for it nor cancel it. A
    TaskGroup owns its tasks: leaving the ``async with`` waits for them, and a failure
    cancels the rest and reaches the owner.

    ## Fix safety
    Unsafe: a task spawned into a TaskGroup is awaited when the group closes, and its
    exception now cancels the group instead of being logged; review that the owner of
    the group expects both. Without a TaskGroup nothing changes but the strong
    reference. Reported and left alone: spawns outside a function, in ``__init__``,
    sharing a line with other statements, or with arguments ``TaskGroup.create_task``
    does not take.

    Suppressed by ``# noqa: TG003``, or by the code another tool gives the same
    problem (as Ruff maps flake8's codes; ``codemods/core/noqa.py``
    ``EQUIVALENT_CODES``):

    | code | tool | rule |
    |---|---|---|
    | RUF006 | Ruff | asyncio-dangling-task |
    """

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.param = self.settings.taskgroup_param
        self.task_names = TaskNames(self.option("task-names"))
        self.keepers = Keepers()
        self.asyncio_name = "asyncio"
        self.discarded: set[cst.Call] = set()
        self.dangling: dict[cst.Call, Dangling] = {}
        self.keeping: dict[cst.ClassDef, tuple[bool, bool] | None] = {}
        self.blocks: list[cst.IndentedBlock] = []
        # Decided while visiting, applied on the way out.
        self.rebuild: dict[cst.Call, tuple[Frame, str, bool]] = {}
        # Functions gaining the TaskGroup parameter and classes keeping it, with the
        # group their fixes share with the callers TG005 passes the TaskGroup to.
        self.gaining: dict[cst.FunctionDef, str] = {}
        self.storing: dict[cst.ClassDef, str] = {}
        self.chosen: set[tuple[cst.FunctionDef, cst.IndentedBlock]] = set()
        self.fixed = 0
        self.uses_asyncio = False
        self.coroutines = Coroutines(self.qualified)
        self.class_context: dict[cst.ClassDef, tuple[Coroutines, set[str]]] = {}
        # Spawns no TaskGroup takes: kept as written, with a strong reference.
        self.kept = KeptSpawns(self.keepers)
        # Functions taken as values elsewhere keep their signatures.
        self.values = TakenFunctions(self)
        self.optional = OptionalGroups(self)
        self.endpoints = Endpoints()

    # -- finding -----------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.asyncio_name = bound_module_name(node, "asyncio") or "asyncio"
        self.keepers.start(node)
        self.coroutines = Coroutines(self.qualified, coroutine_functions(node.body))
        self.endpoints.start(
            node,
            self.qualified,
            self.settings,
            lambda: self.values.index,
            self.values.module,
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        super().visit_ClassDef(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if not super().visit_FunctionDef(node):
            return False  # no spawn inside: nothing here to find or rewrite
        coroutines, loops = self.coroutines, set[str]()
        scope = (
            self.scopes[-1].method_of if isinstance(self.scopes[-1], Frame) else None
        )
        if scope is not None:
            if scope.node not in self.class_context:
                self.class_context[scope.node] = (
                    self.coroutines.in_class(scope.node),
                    loop_attributes(scope, self.qualified),
                )
            coroutines, loops = self.class_context[scope.node]
        entries = find_dangling(
            node,
            self.qualified,
            self.param,
            coroutines=coroutines,
            loop_attributes=loops,
        )
        for entry in self.endpoints.spawn_into_dependency(node, entries, self.param):
            self.dangling[entry.call] = entry
        return True

    def class_keeping(self, node: cst.ClassDef) -> tuple[bool, bool] | None:
        """How class ``node`` keeps a TaskGroup (``group_keeping``), worked out once
        and only for a class one of whose spawns needs it."""
        if node not in self.keeping:
            self.keeping[node] = group_keeping(node, self.qualified, self.param)
        return self.keeping[node]

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self.discarded.add(node.value)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.kept.note_line(node)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.blocks.append(node)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        self.blocks.pop()
        return updated_node

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        frame, entry = self.frame, self.dangling.get(original_node)
        spelled = f"`{code_of(original_node.func)}()`"
        if frame is None:
            if original_node in self.discarded and spawn_kind(
                original_node, self.qualified
            ):
                message = (
                    f"{spelled} runs outside any function, so nothing can own its "
                    "task: a person must decide which function starts it"
                )
                self.report(original_node, message, fixable=False)
            return updated_node
        if entry is None:
            return updated_node
        if entry.problem is not None:
            self.report(original_node, f"{spelled} {entry.problem}", fixable=False)
            return updated_node
        if entry.keep == KEEP_SYNC.format(name=frame.function.name.value):
            if self.optional.class_keeps(frame):
                return self.optional.through_kept(
                    frame, original_node, updated_node, spelled
                )
        if entry.keep is not None:
            return self.keep_spawn(
                frame, original_node, updated_node, spelled, entry.keep
            )
        if entry.group is None:
            return self.optional.through_optional(
                frame, original_node, updated_node, spelled
            )
        group = entry.group
        message = f"spawn the task {spelled} throws away with `{group}.create_task()`"
        if not self.report(original_node, message, fixable=True):
            return updated_node
        self.fixed += 1
        spawner = cst.Attribute(cst.Name(group), cst.Name("create_task"))
        named = self.named_spawn(frame, original_node, updated_node)
        return named.with_changes(func=spawner)

    def keep_spawn(
        self,
        frame: Frame,
        original: cst.Call,
        updated: cst.Call,
        spelled: str,
        why: str,
    ) -> cst.Call:
        """Keep the spawn as written, with a strong reference to its task."""
        message = (
            f"keep a strong reference to the task {spelled} throws away until it "
            f"is done, {why}{self.kept.stale_ignore(original)}"
        )
        if self.report(original, message, fixable=True):
            self.fixed += 1
            self.uses_asyncio = True  # for the keeper's annotation
            self.kept.decided[original] = (frame, why == KEEP_FUTURE)
        return updated

    def named_spawn(
        self, frame: Frame, original: cst.Call, updated: cst.Call
    ) -> cst.Call:
        named = self.task_names.apply(original, updated, frame.function, self._line)
        if isinstance(named, str):
            self.report(original, named, fixable=False)
            return updated
        return named

    def _line(self, node: cst.CSTNode) -> int:
        return self.get_metadata(PositionProvider, node).start.line

    # -- rewriting ---------------------------------------------------------------------

    def leave_SimpleStatementLine(
        self,
        original_node: cst.SimpleStatementLine,
        updated_node: cst.SimpleStatementLine,
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        small = original_node.body[0]
        call = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
        if not isinstance(call, cst.Call) or len(original_node.body) != 1:
            return updated_node
        if call in self.kept.decided:
            return self.kept.rewrite(call, updated_node)
        if call not in self.rebuild:
            return updated_node
        frame, param, keeps = self.rebuild.pop(call)
        generated = spawn_of(updated_node)
        used = names_used(frame.function)
        module = self.keepers.module
        statements: list[cst.BaseStatement] = []
        group = param
        if keeps:
            # One `task_group` pick serves every later spawn of the block and below.
            group = fresh_name("task_group", used)
            if not any((frame.function, block) in self.chosen for block in self.blocks):
                self.chosen.add((frame.function, self.blocks[-1]))
                pick = f"{group} = self.{self.param} if {param} is None else {param}\n"
                statements.append(parse_statement(pick, module))
        column = self.get_metadata(PositionProvider, original_node).start.column
        statements.append(
            discarded_spawn(
                generated,
                group=group,
                keeper=self.keepers.request(frame, generated),
                task=fresh_name("task", used),
                asyncio_name=self.asyncio_name,
                layout=Layout(column, self.settings.line_length, module),
                comment=updated_node.trailing_whitespace,
            )
        )
        statements[0] = statements[0].with_changes(
            leading_lines=updated_node.leading_lines
        )
        return cst.FlattenSentinel(statements)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        super().leave_FunctionDef(original_node, updated_node)
        if original_node in self.endpoints.gaining:
            return self._with_dependency(original_node, updated_node)
        group = self.gaining.get(original_node)
        if group is None:
            return updated_node
        name = original_node.name.value
        message = (
            f"`{name}()` takes the TaskGroup for the tasks it spawns as `{self.param}`"
        )
        self._report_signature(original_node.name, message, group)
        return self._with_param(original_node, updated_node)

    def _with_dependency(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        message = self.endpoints.message(original.name.value, self.param)
        self.report(original.name, message, fixable=True, suppressible=False)
        column = self.get_metadata(PositionProvider, original).start.column
        unit = self.keepers.module.default_indent
        return self.endpoints.with_param(
            updated, self.param, self.asyncio_name, column, self.settings, unit
        )

    def _report_signature(self, node: cst.Name, message: str, group: str) -> None:
        # Callers (and TG005) rely on this change: it is reported, whatever `noqa`
        # says, so that a review accepts or skips it with the spawns it serves.
        self.report(node, message, fixable=True, group=group, suppressible=False)

    def _with_param(
        self, original: cst.FunctionDef, updated: cst.FunctionDef
    ) -> cst.FunctionDef:
        return add_parameter(
            updated,
            f"{self.param}: {self.asyncio_name}.TaskGroup | None = None",
            column=self.get_metadata(PositionProvider, original).start.column,
            line_length=self.settings.line_length,
            unit=self.keepers.module.default_indent,
        )

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        scope = self.scopes[-1]
        super().leave_ClassDef(original_node, updated_node)
        group = self.storing.get(original_node)
        keeping = None if group is None else self.class_keeping(original_node)
        init = ClassScope(original_node).init
        if group is not None and keeping is not None and init is not None:
            # __init__ takes the TaskGroup, if it does not yet, and keeps it.
            needs_param, needs_store = keeping
            if needs_param or needs_store:
                name = original_node.name.value
                message = (
                    f"`{name}.__init__()` keeps the TaskGroup its methods spawn into "
                    f"as `self.{self.param}`"
                )
                self._report_signature(init.name, message, group)
            store = f"self.{self.param} = {self.param}\n"
            updated_node = keep_in_init(
                updated_node,
                parse_statement(store, self.keepers.module) if needs_store else None,
                partial(self._with_param, init) if needs_param else None,
            )
        return self.keepers.declare_in_class(scope, updated_node, self.asyncio_name)

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        if self.fixed == 0:
            return updated_node
        module = self.keepers.declare_in_module(updated_node, self.asyncio_name)
        module = self.endpoints.declare(module, self.settings)
        if self.uses_asyncio:
            module, _ = ensure_import(module, "asyncio", self.settings.import_order)
        module = self.keepers.import_any(module, self.settings)
        # `from asyncio import create_task` and the like go once unused.
        for source, name, alias in spawn_imports(original_node):
            self.context.remove_unused_import(source, obj=name, asname=alias)
        return module
