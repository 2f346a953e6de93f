"""Call sites of a lifecycle method TG002 makes async: awaited, given the TaskGroup.

A mixin for the codemod: it knows where a call's value is used (already awaited, or
followed by ``.attr``/``[i]``/``(...)``, which needs parentheses around the ``await``),
and whether the code around a call can await at all.
"""

from __future__ import annotations

from abc import ABC

import libcst as cst

from codemods.analysis.families import LifecycleCall
from codemods.cst.build import code_of, with_keyword
from codemods.cst.coroutine_uses import consumes_coroutine
from codemods.cst.find import is_call_of
from codemods.cst.scopes import Frame
from codemods.rules.codemod import CodemodContext, Environment
from codemods.rules.indexed import IndexedCodemod


class AwaitingCallSites(IndexedCodemod, ABC):  # ABC: a base (see ``Codemod``)
    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.param = self.settings.taskgroup_param
        self.awaited: set[cst.Call] = set()
        self.trailing: set[cst.Call] = set()
        # Calls whose coroutine something consumes (`loop.run_until_complete(...)`,
        # `yield from ...`): they stay as written.
        self.consumed: set[cst.BaseExpression] = set()

    def runs_async(self, frame: Frame) -> bool:
        """Whether ``frame`` is (or becomes, by this codemod) a coroutine function."""
        return frame.is_async

    def visit_Await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            self.awaited.add(node.expression)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Call):
            self.trailing.add(node.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if isinstance(node.value, cst.Call):
            self.trailing.add(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Call):
            self.trailing.add(node.func)
        if consumes_coroutine(node, self.qualified):
            self.consumed.update(arg.value for arg in node.args)

    def visit_From(self, node: cst.From) -> None:
        self.consumed.add(node.item)

    def lifecycle_call(self, func: cst.Attribute) -> LifecycleCall | None:
        """The conversion the call of ``func`` follows, when its receiver resolves."""
        receiver, method = func.value, func.attr.value
        if is_call_of(receiver, "super") and not receiver.args:
            owner = self.owner()
            if owner is None:
                return None
            return self.index.lifecycle_super_call(owner, method)
        ref = self.type_of(receiver)
        return None if ref is None else self.index.lifecycle_call(ref, method)

    def call_site(
        self,
        frame: Frame | None,
        original: cst.Call,
        updated: cst.Call,
        call: LifecycleCall,
    ) -> cst.BaseExpression:
        """``await <call>(tg=<group in scope>)``, or a finding where it cannot await."""
        spelled = f"`{code_of(original.func)}()`"
        if original in self.consumed:
            return updated
        if frame is None or self.deferred or not self.runs_async(frame):
            message = (
                f"{spelled} calls `{call.target}()`, which TG002 makes async, from "
                f"{self.caller()}: make the caller async and await it"
            )
            self.report(original, message, fixable=False, group=call.group)
            return updated
        found = frame.taskgroup()
        group = None if found is None else found[0]
        if any(
            arg.keyword is not None and arg.keyword.value == self.param
            for arg in original.args
        ):
            group = None
        message = f"await {spelled}, now a coroutine"
        if group is not None:
            message += f", passing the TaskGroup `{self.param}={group}`"
        if not self.report(original, message, fixable=True, group=call.group):
            return updated
        if group is not None:
            updated = with_keyword(updated, self.param, cst.Name(group))
        if original in self.awaited:
            return updated
        if original in self.trailing:
            return cst.Await(updated, lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return cst.Await(updated)
