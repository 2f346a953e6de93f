"""TG005 lifespan-taskgroup: code holding a TaskGroup passes it to every callee that
takes one (once the run is over) but is called without it."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider

from codemods.cst.build import relaid_signature, with_keyword
from codemods.cst.find import is_call_of
from codemods.cst.scopes import ClassScope, Frame
from codemods.rules.indexed import IndexedCodemod
from codemods.rules.lifespan_taskgroup.dependencies import DependencyWrappers
from codemods.rules.lifespan_taskgroup.spec import SPEC


class LifespanTaskgroup(IndexedCodemod, spec=SPEC):
    """Pass the TaskGroup in scope to the components that accept one.

    ## What it does
    Where a TaskGroup is in scope (inside ``async with asyncio.TaskGroup() as
    bg_tasks:``, or in a function with a TaskGroup parameter), finds calls of
    functions, methods and constructors that accept a TaskGroup parameter but are
    called without it, and passes it: ``await manager.initialize(tg=bg_tasks)``,
    ``OrchestrationRunner(session_factory, tg=bg_tasks)``. "Accept" means after this
    run: a parameter the callee already has, or one TG002 (``start``) or TG003 (a
    method or ``__init__`` spawning fire-and-forget tasks) gives it. Callees are
    resolved across the repository through imports, annotations, constructors and
    factories; a call it cannot resolve is left alone. In a method of a class that
    keeps a TaskGroup as ``self.tg`` (given to its ``__init__``, TG003, or to its
    converted ``start``, TG002), synchronous callbacks too, it passes
    ``tg=self.tg``: possibly None, which the callee's fallback handles.

    A module-level factory FastAPI takes only as ``Depends(f)`` (in ``Annotated[...]``
    or a parameter default) gains ``tg`` too (TG001/TG003 write the gain, as for any
    function some caller passes one): FastAPI reads its signature, so this codemod
    writes next to it ``f_dependency(tg: Annotated[asyncio.TaskGroup,
    Depends(get_task_group)]) -> T`` returning ``await f(tg=tg)`` (with
    ``get_task_group`` if the module lacks it), points every ``Depends(f)`` of the run
    at it, and makes each import of ``f`` import the wrapper. The wrapper is the caller
    that passes the root, so the "gain only where a caller passes one" rule holds, and
    a second run finds nothing to do. Only with TG003 and TG007 selected and one
    FastAPI root in the run; never for a function also taken as a value otherwise,
    with parameters, ``yield``, a decorator or no return annotation, or whose wrapper
    name is taken: the spawn's finding then names the piece that blocked it.

    ## Why is this bad?
    A component that can run its tasks in the caller's TaskGroup but is not given one
    falls back to tasks nobody owns: the application's lifespan cannot wait for them
    on shutdown, and their failures go unnoticed. Passing the group down is what makes
    the structured concurrency reach the whole application.

    ## Fix safety
    Unsafe: the callee's tasks now belong to the caller's TaskGroup, so leaving the
    ``async with`` waits for them and a failure in one cancels the others. Review that
    the TaskGroup outlives the component (a short-lived group would cancel or wait for
    long-running workers). Calls passing ``*args``/``**kwargs`` are left alone.
    """

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.dependencies = DependencyWrappers(self)
        self.indent = node.default_indent

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if len(self.scopes) == 1:  # a module-level function FastAPI may depend on
            self.dependencies.note_function(original_node)
        if not updated_node.params.deep_equals(original_node.params):
            # A `Depends(f)` there now names the longer wrapper.
            updated_node = relaid_signature(
                updated_node,
                self.get_metadata(PositionProvider, original_node).start.column,
                self.settings.line_length,
                self.indent,
            )
        return super().leave_FunctionDef(original_node, updated_node)

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        return self.dependencies.write(updated_node)

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        repointed = self.dependencies.repoint(original_node, updated_node)
        if repointed is not updated_node:
            return repointed
        frame = self.frame
        found = None if frame is None or self.deferred else frame.taskgroup()
        group = found[0] if found is not None else self._stored(frame)
        if group is None or any(arg.star for arg in original_node.args):
            return updated_node
        func = original_node.func
        if isinstance(func, cst.Attribute) and is_call_of(func.value, "super"):
            return updated_node
        ref = self.type_of(func)
        parameter = None if ref is None else self.index.taskgroup_parameter(ref)
        if parameter is None:
            return updated_node
        positional = sum(1 for arg in original_node.args if arg.keyword is None)
        if any(
            arg.keyword is not None and arg.keyword.value == parameter.name
            for arg in original_node.args
        ) or (parameter.position is not None and positional > parameter.position):
            return updated_node
        message = (
            f"pass the TaskGroup `{group}` to `{parameter.target}()`, which takes it "
            f"as `{parameter.name}=`"
        )
        if not self.report(original_node, message, fixable=True, group=parameter.group):
            return updated_node
        return with_keyword(updated_node, parameter.name, cst.parse_expression(group))

    def _stored(self, frame: Frame | None) -> str | None:
        """``self.tg`` in a method of a class keeping a TaskGroup (given to its
        ``__init__``, TG003, or to its converted lifecycle method, TG002); possibly
        None, which the callee's fallback handles, so it is passed as it is."""
        if frame is None or self.deferred or len(self.scopes) != 2:
            return None
        scope = self.scopes[0]
        if not isinstance(scope, ClassScope) or frame.method_of is not scope:
            return None
        if frame.function.name.value == "__init__":
            return None  # `__init__` declares it last
        owner = f"{self.module_qualifier}.{scope.node.name.value}"
        if not self.index.keeps_taskgroup(owner):
            return None
        return f"self.{self.settings.taskgroup_param}"
