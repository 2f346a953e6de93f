"""TG001 legacy-tracker: calls of a legacy task tracker become ``TaskGroup.create_task``."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider, ScopeProvider

from codemods.cst.build import add_parameter, fresh_name
from codemods.cst.coroutines import Coroutines, coroutine_functions
from codemods.cst.find import discarded_call, find_all
from codemods.cst.imports import bound_module_name, ensure_import
from codemods.cst.module_names import ModuleNames
from codemods.cst.names import names_used
from codemods.cst.place import insert_before_first_use
from codemods.cst.qualified import matches_configured
from codemods.cst.scopes import Frame
from codemods.cst.spawn_code import Keepers, Layout, alias_statement, discarded_spawn
from codemods.rules.codemod import CodemodContext, Environment
from codemods.rules.legacy_tracker.calls import (
    UNUSED,
    gained_group,
    indexed_coroutine,
    unsupported_arguments,
    unused_module,
    why_no_parameter,
)
from codemods.rules.legacy_tracker.fallback import both_ways, explained, is_fallback
from codemods.rules.legacy_tracker.imports import schedule_import_removal
from codemods.rules.legacy_tracker.spec import SPEC
from codemods.rules.scope_tracking import ScopeTracking


class LegacyTracker(ScopeTracking, spec=SPEC):
    """Replace calls of a legacy task tracker with ``TaskGroup.create_task``.

    ## What it does
    Finds calls of the configured tracker functions (``trackers``, default
    ``track_task``), resolved through imports and aliases, and spawns the task in the
    TaskGroup in scope instead: a parameter annotated ``asyncio.TaskGroup`` (or
    ``asyncio.TaskGroup | None``), or the target of an enclosing ``async with
    asyncio.TaskGroup() as tg:``. A module-level coroutine function with none gains a
    keyword-only ``tg: asyncio.TaskGroup | None = None`` when some caller in the run
    holds a TaskGroup to pass (TG005 and TG007 pass it), unless it is decorated or taken
    as a value anywhere in the project (a callback, a container), whose caller would
    not pass it; taken only as FastAPI's ``Depends(f)``, it gains it, and TG005 points
    ``Depends(f)`` at a wrapper passing the root (``codemods explain TG005``). Where the
    TaskGroup is optional, what runs without one follows the tracker's own definition,
    found through the project index: a tracker that only keeps a strong reference gives
    way to ``asyncio.create_task`` with the reference kept, its import removed once
    unused; one that does more (names, counts or logs its tasks, adds other
    done-callbacks, or its module's ``cancel_all_tasks()`` reads the tasks it keeps) is
    called again, as before, under ``if tg is None:``, and stays. The finding
    says which, and why. At the tracker's definition, ``check`` says when nothing
    outside its module uses it, or its module, any more: the module can go.

    ## Why is this bad?
    A tracker is a home-made registry of fire-and-forget tasks: nothing awaits them,
    their exceptions surface late or never, and shutdown has to hunt them down. A
    TaskGroup owns its tasks: leaving the ``async with`` waits for them, and a failure
    cancels its siblings and is raised to the owner.

    ## Fix safety
    Unsafe: a task moved into a TaskGroup is awaited when the group closes, and its
    exception now cancels the group instead of being logged by the tracker. Review that
    the owner of the group expects both, and that tasks in a TaskGroup are no longer
    seen by the tracker (its counts, names, ``cancel_all_tasks()``). A tracker whose
    definition is not in the run is taken for a plain strong reference, which the
    finding says. A call with no TaskGroup in scope, with
    arguments ``TaskGroup.create_task`` does not take, or whose argument is not provably
    a coroutine (a call of an ``async def`` of the module or class, or of asyncio's
    ``sleep``, ``wait_for``, ...: anything else may be a Future, which a TaskGroup
    rejects at run time) is reported and left alone.
    """

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.discarded: set[cst.Call] = set()
        self.rebuild: dict[cst.Call, tuple[Frame, str]] = {}
        self.keepers = Keepers()
        self.converted = 0
        self.tracker_modules: set[str] = set()
        self.asyncio_name = "asyncio"
        self.coroutines = Coroutines(self.qualified)
        self.class_coroutines: dict[cst.ClassDef, Coroutines] = {}
        self.names: ModuleNames | None = None
        # Functions gaining the TaskGroup parameter, with the group of their fixes
        # (shared with the callers TG005/TG007 pass it from).
        self.gaining: dict[cst.FunctionDef, str] = {}
        # Per simple statement being visited: its tracker calls that fall back to the
        # tracker itself, with their TaskGroup (``fallback.both_ways``).
        self.lines: list[list[tuple[cst.Call, str]]] = []
        # The bodies of `if tg is None:` fallbacks, and per block being visited
        # whether it is one.
        self.fallback_blocks: set[cst.BaseSuite] = set()
        self.fallbacks: list[bool] = []
        # The tracker's own definitions in this module.
        self.definitions: list[cst.FunctionDef] = []

    def _is_tracker(self, node: cst.BaseExpression) -> set[str]:
        qualified = self.qualified(node)
        return (
            qualified
            if matches_configured(qualified, self.settings.trackers)
            else set()
        )

    def visit_Module(self, node: cst.Module) -> None:
        self.asyncio_name = bound_module_name(node, "asyncio") or "asyncio"
        self.keepers.start(node)
        self.coroutines = Coroutines(self.qualified, coroutine_functions(node.body))
        if self.env.index is not None:  # for what only the index proves a coroutine
            filename = self.context.filename or ""
            self.names = ModuleNames(
                node, self.module_name or "__main__", filename.endswith("__init__.py")
            )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        visiting = super().visit_FunctionDef(node)
        frame = self.frame
        if visiting and frame is not None and frame.taskgroup() is None:
            self._gains(frame)
        return visiting

    def visit_If(self, node: cst.If) -> None:
        if self.frame is not None and is_fallback(node, self.frame):
            self.fallback_blocks.add(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.fallbacks.append(node in self.fallback_blocks)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.BaseSuite:
        self.fallbacks.pop()
        return updated_node

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.lines.append([])
        call = discarded_call(node)
        if call is not None:
            self.discarded.add(call)

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        qualified = self._is_tracker(original_node.func)
        if not qualified or any(self.fallbacks):
            return updated_node  # not a tracker, or a fallback written already
        spelled = _code(original_node.func)
        what = unsupported_arguments(original_node)
        if what is not None:
            self.report(
                original_node,
                f"`{spelled}()` passes {what}, which TaskGroup.create_task() does not "
                "accept: migrate this call by hand",
                fixable=False,
            )
            return updated_node
        frame = self.frame
        if frame is not None and not self._coroutine(
            frame, original_node.args[0].value
        ):
            self.report(
                original_node,
                f"`{spelled}()` may be given a Future, which TaskGroup.create_task() "
                "does not accept: migrate this call by hand",
                fixable=False,
            )
            return updated_node
        found = frame.taskgroup() if frame is not None else None
        if frame is None or found is None:
            self.report(
                original_node,
                f"`{spelled}()` has no TaskGroup in scope: "
                f"{self._why_no_parameter(frame)}",
                fixable=False,
            )
            return updated_node
        group, kind = found
        extras = None if kind == "required" else self._extras(qualified)
        rich = bool(extras)
        if kind == "required":
            message = f"replace `{spelled}()` with `{group}.create_task()`"
        elif rich and not self.lines:
            self.report(
                original_node,
                f"`{spelled}()` does more than keep a strong reference, so its "
                "fallback must call it again, which TG001 writes only for a call in "
                "a statement of its own line: migrate this call by hand",
                fixable=False,
            )
            return updated_node
        else:
            message = explained(spelled, group, extras, rich=rich)
        gained = self.gaining.get(frame.function)
        if gained is not None:
            message += f" (`{group}` is the parameter it gains)"
        if not self.report(original_node, message, fixable=True, group=gained):
            return updated_node
        self.converted += 1
        self.tracker_modules.update(q.rsplit(".", 1)[0] for q in qualified)
        if kind == "required":
            return updated_node.with_changes(
                func=cst.Attribute(cst.Name(group), cst.Name("create_task"))
            )
        if rich:
            self.lines[-1].append((updated_node, group))
            return updated_node
        if original_node in self.discarded:
            self.rebuild[original_node] = (frame, group)
            return updated_node
        if frame.alias is None:
            frame.alias = fresh_name("spawn", names_used(frame.function))
            frame.alias_group = group
        return updated_node.with_changes(func=cst.Name(frame.alias))

    def _defines(self, frame: Frame) -> bool:
        """Whether module-level ``frame`` is a configured tracker's definition."""
        name = f"{self.module_name or '__main__'}.{frame.function.name.value}"
        return matches_configured({name}, self.settings.trackers)

    def _deletable(self, node: cst.FunctionDef) -> None:
        """At the tracker's definition: whether the run still uses its module."""
        index = self.env.index
        name = f"{self.module_name or '__main__'}.{node.name.value}"
        scope = self.get_metadata(ScopeProvider, node, None)
        if index is not None and unused_module(index, scope, name):
            self.report(node.name, UNUSED.format(name=node.name.value), fixable=False)

    def _extras(self, qualified: set[str]) -> tuple[str, ...] | None:
        """What the tracker called does beyond keeping a strong reference, by its
        definition (None: not in the run)."""
        index = self.env.index
        if index is None:
            return None
        for name in sorted(qualified):
            if matches_configured({name}, self.settings.trackers):
                return index.tracker_extras(name)
        return None

    def _gains(self, frame: Frame) -> bool:
        """Whether coroutine function ``frame``, with no TaskGroup, gains one as a
        keyword-only parameter (``calls.gained_group``): its tracker calls then fall
        back when none is passed."""
        index = self.env.index
        if index is None or not frame.is_async or self.scopes != [frame]:
            return False  # only a module-level function, and only in a whole run
        module, param = self.module_name or "__main__", self.settings.taskgroup_param
        group = gained_group(index, f"{module}.{frame.function.name.value}", param)
        if group is None:
            return False
        frame.taskgroup_params[param] = "optional"
        self.gaining[frame.function] = group
        return True

    def _why_no_parameter(self, frame: Frame | None) -> str:
        """Why the function around a tracker call does not gain a TaskGroup."""
        index = self.env.index
        if frame is None or self.scopes != [frame]:
            return why_no_parameter(index, None)
        name = f"{self.module_name or '__main__'}.{frame.function.name.value}"
        return why_no_parameter(index, name)

    def _coroutine(self, frame: Frame, argument: cst.BaseExpression) -> bool:
        """Whether the tracked ``argument`` is provably a coroutine, which alone
        ``TaskGroup.create_task`` takes."""
        scope = frame.method_of
        coroutines = self.coroutines if scope is None else self._in_class(scope.node)
        if coroutines.provable(argument, frame.function):
            return True
        index, module = self.env.index, self.module_name or "__main__"
        if index is None or self.names is None:
            return False
        top = self.scopes[0]
        owner = (
            f"{module}.{scope.node.name.value}"
            if scope is not None and top is scope
            else None
        )
        return indexed_coroutine(index, self.names, frame, owner, argument)

    def _in_class(self, node: cst.ClassDef) -> Coroutines:
        if node not in self.class_coroutines:
            self.class_coroutines[node] = self.coroutines.in_class(node)
        return self.class_coroutines[node]

    def leave_SimpleStatementLine(
        self,
        original_node: cst.SimpleStatementLine,
        updated_node: cst.SimpleStatementLine,
    ) -> cst.BaseStatement:
        dual = self.lines.pop()
        if dual:
            column = self.get_metadata(PositionProvider, original_node).start.column
            layout = Layout(column, self.settings.line_length, self.keepers.module)
            return both_ways(updated_node, [c for c, _ in dual], dual[0][1], layout)
        expression = original_node.body[0]
        if not (
            isinstance(expression, cst.Expr) and isinstance(expression.value, cst.Call)
        ):
            return updated_node
        if expression.value not in self.rebuild:
            return updated_node
        frame, group = self.rebuild.pop(expression.value)
        call = updated_node.body[0]
        assert isinstance(call, cst.Expr) and isinstance(call.value, cst.Call)
        keeper = self.keepers.request(frame, call.value)
        column = self.get_metadata(PositionProvider, original_node).start.column
        statement = discarded_spawn(
            call.value,
            group=group,
            keeper=keeper,
            task=fresh_name("task", names_used(frame.function)),
            asyncio_name=self.asyncio_name,
            layout=Layout(column, self.settings.line_length, self.keepers.module),
            comment=updated_node.trailing_whitespace,
        )
        return statement.with_changes(leading_lines=updated_node.leading_lines)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        frame = self.frame
        if frame is not None and self.scopes == [frame] and self._defines(frame):
            self.definitions.append(original_node)
        super().leave_FunctionDef(original_node, updated_node)
        if frame is None:
            return updated_node
        if frame.alias is not None and frame.alias_group is not None:
            alias = alias_statement(
                frame.alias, frame.alias_group, self.asyncio_name, self.keepers.module
            )
            updated_node = insert_before_first_use(updated_node, alias, frame.alias)
        group = self.gaining.pop(original_node, None)
        if group is None:
            return updated_node
        param = self.settings.taskgroup_param
        # Callers (TG005, TG007) rely on it: reported whatever `noqa` says, so that a
        # review accepts or skips it with the calls it serves.
        self.report(
            original_node.name,
            f"`{original_node.name.value}()` takes the TaskGroup for the tasks it "
            f"tracked as keyword-only `{param}`",
            fixable=True,
            group=group,
            suppressible=False,
        )
        return add_parameter(
            updated_node,
            f"{param}: {self.asyncio_name}.TaskGroup | None = None",
            column=self.get_metadata(PositionProvider, original_node).start.column,
            line_length=self.settings.line_length,
            unit=self.keepers.module.default_indent,
            keyword_only=True,
        )

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        scope = self.scopes[-1]
        super().leave_ClassDef(original_node, updated_node)
        return self.keepers.declare_in_class(scope, updated_node, self.asyncio_name)

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        for definition in self.definitions:
            self._deletable(definition)
        if self.converted == 0:
            return updated_node
        module = self.keepers.declare_in_module(updated_node, self.asyncio_name)
        if module is not updated_node or self._uses_asyncio(module):
            module, _ = ensure_import(module, "asyncio", self.settings.import_order)
        module = self.keepers.import_any(module, self.settings)
        schedule_import_removal(
            self.context,
            original_node,
            self.module_name,
            self.settings.trackers,
            self.tracker_modules,
        )
        return module

    def _uses_asyncio(self, module: cst.Module) -> bool:
        return bound_module_name(module, "asyncio") is None and any(
            isinstance(node.value, cst.Name) and node.value.value == self.asyncio_name
            for node in find_all(module, cst.Attribute)
        )


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
