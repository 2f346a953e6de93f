"""TG006 unawaited-coroutine: a call of a coroutine function whose coroutine nothing
awaits is awaited, or reported where it cannot be."""

from __future__ import annotations

import builtins

import libcst as cst
from libcst.metadata import ScopeProvider

from codemods.cst.build import code_of
from codemods.cst.coroutine_uses import consumes_coroutine
from codemods.cst.qualified import CHECKED
from codemods.rules.codemod import CodemodContext, Environment
from codemods.rules.indexed import IndexedCodemod
from codemods.rules.unawaited_coroutine.spec import SPEC
from codemods.rules.unawaited_coroutine.values import expects_values, is_builtin


def _handed(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """What an argument hands on: itself, the elements of a literal, the element of a
    comprehension (``asyncio.gather(*[job(x) for x in xs])``)."""
    if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
        return [element.value for element in value.elements]
    if isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return [value.elt]
    return [value]


class UnawaitedCoroutine(IndexedCodemod, spec=SPEC):
    """Await a coroutine function's call whose coroutine would be dropped.

    ## What it does
    Finds calls whose callee the project index resolves to a coroutine function (an
    ``async def`` function of any module of the project, a method reached through
    what the index knows of the receiver, ``Worker().run()`` included, or a
    lifecycle method TG002 makes async earlier in the run) and whose coroutine
    nothing runs: the call is a statement of its own, or its value is used as if it
    were the result (a condition, an operand, ``.attr``, ``[i]``, a ``for``, an
    argument of ``print``/``str``/``logging.info``/``"{}".format``, a name never
    used again or only used so). In an ``async def``, a statement ``job()`` becomes
    ``await job()``; anywhere else the call is reported. A call awaited, returned,
    yielded, or handed to something that runs a coroutine (``asyncio.run``,
    ``gather``, ``create_task``, ``loop.run_until_complete``, ``yield from``) is left
    alone, and so is one stored or passed to any other call (``tasks.append(job())``,
    a project function that spawns it): it may be run later.

    ## Why is this bad?
    Calling a coroutine function only creates the coroutine: nothing in it runs until
    it is awaited. A dropped one does nothing at all but warn "coroutine ... was never
    awaited" when it is collected. This is what a partial migration leaves behind
    (a ``start()`` made async whose callers did not follow), so ``check`` keeps
    failing until every such call is fixed.

    ## Fix safety
    Unsafe: awaiting the call makes it run, where before it did nothing, and makes
    the caller wait for it. A call in synchronous code, a lambda or a generator
    expression cannot be awaited there: reported for a person to decide (make the
    caller async, or hand the coroutine to ``asyncio.run``/a TaskGroup).
    """

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        # Calls whose coroutine is run, or kept for later, by the code around them.
        self.handled: set[cst.BaseExpression] = set()
        self.statements: set[cst.BaseExpression] = set()
        self.as_values: set[cst.BaseExpression] = set()
        self.reached: set[cst.BaseExpression] = set()
        # Calls assigned to a name (the target), and where each name is written.
        self.assigned: dict[
            cst.BaseExpression, tuple[cst.FunctionDef | None, cst.Name]
        ] = {}
        self.read: dict[cst.FunctionDef | None, dict[str, list[cst.Name]]] = {}

    # -- where a call's value goes -----------------------------------------------------

    def visit_Await(self, node: cst.Await) -> None:
        self.handled.add(node.expression)

    def visit_From(self, node: cst.From) -> None:
        self.handled.add(node.item)

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self.handled.add(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.handled.add(node.value)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        super().visit_Lambda(node)
        self.handled.add(node.body)

    def visit_Expr(self, node: cst.Expr) -> None:
        self.statements.add(node.value)

    def visit_If(self, node: cst.If) -> None:
        self.as_values.add(node.test)

    def visit_While(self, node: cst.While) -> None:
        self.as_values.add(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self.as_values.add(node.test)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        self.as_values.add(node.expression)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        self.as_values.update((node.left, node.right))

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self.as_values.update((node.left, node.right))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.as_values.add(node.left)
        self.as_values.update(target.comparator for target in node.comparisons)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.as_values.add(node.value)
        # A name holding a coroutine may well be reached into (``coro.close()``).
        self.reached.add(node.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.as_values.add(node.value)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is None:
            self.as_values.add(node.iter)

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is None:
            self.as_values.update(item.item for item in node.items)

    def visit_FormattedStringExpression(
        self, node: cst.FormattedStringExpression
    ) -> None:
        self.as_values.add(node.expression)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            function = None if self.frame is None else self.frame.function
            self.assigned[node.value] = (function, node.targets[0].target)

    def visit_Name(self, node: cst.Name) -> None:
        function = None if self.frame is None else self.frame.function
        self.read.setdefault(function, {}).setdefault(node.value, []).append(node)

    def visit_Call(self, node: cst.Call) -> None:
        if consumes_coroutine(node, self.qualified):
            for arg in node.args:
                self.handled.update(_handed(arg.value))
        elif expects_values(node, self.qualified, self._builtin):
            self.as_values.update(arg.value for arg in node.args if not arg.star)

    def _builtin(self, name: cst.Name) -> bool:
        """Whether ``name`` (a callee, written in the tree) is the builtin: at once
        when the module binds it nowhere, else by LibCST's scope analysis."""
        if not self.names_resolver.unbound(name.value):
            return is_builtin(name, self.get_metadata(ScopeProvider, name, None))
        found = hasattr(builtins, name.value)
        if CHECKED:
            assert found == is_builtin(name, self.get_metadata(ScopeProvider, name))
        return found

    # -- the calls ---------------------------------------------------------------------

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        if original_node in self.handled:
            return updated_node
        dropped = original_node in self.statements
        if not (dropped or original_node in self.as_values):
            return updated_node
        ref = self.type_of(original_node.func)
        target = None if ref is None else self.index.coroutine_function(ref)
        if target is None:
            return updated_node
        spelled = f"`{code_of(original_node.func)}()`"
        frame = self.frame
        if not dropped:
            message = (
                f"{spelled} gives a coroutine (`{target}()` is a coroutine function), "
                "used here as if it were the result: await it"
            )
            self.report(original_node, message, fixable=False)
            return updated_node
        if frame is None and not self.deferred:
            message = (
                f"{spelled} creates a coroutine of `{target}()` that never runs, at "
                "module level: run it with `asyncio.run()` or from a coroutine"
            )
            self.report(original_node, message, fixable=False)
            return updated_node
        if frame is None or self.deferred or not frame.is_async:
            message = (
                f"{spelled} creates a coroutine of `{target}()` that never runs, "
                f"from {self.caller()}: make the caller async and await it"
            )
            self.report(original_node, message, fixable=False)
            return updated_node
        message = f"await {spelled}: `{target}()` is a coroutine function"
        if not self.report(original_node, message, fixable=True):
            return updated_node
        return cst.Await(updated_node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self._unread(original_node)
        return super().leave_FunctionDef(original_node, updated_node)

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        self._unread(None)
        return updated_node

    def _unread(self, function: cst.FunctionDef | None) -> None:
        """Calls assigned in ``function`` to a name written nowhere else in it, or
        read there only as if it held the result (``if x:``, ``print(x)``)."""
        written = self.read.get(function, {})
        for call, (where, target_name) in list(self.assigned.items()):
            if where is not function or not isinstance(call, cst.Call):
                continue
            del self.assigned[call]
            name = target_name.value
            reads = [node for node in written.get(name, []) if node is not target_name]
            misused = all(
                node in self.as_values and node not in self.reached for node in reads
            )
            if call in self.handled or not misused:
                continue
            ref = self.type_of(call.func)
            target = None if ref is None else self.index.coroutine_function(ref)
            if target is None:
                continue
            use = "never awaited" if not reads else "only used as if it held the result"
            message = f"`{name}` holds a coroutine of `{target}()` that is {use}: await the call"
            self.report(call, message, fixable=False)
