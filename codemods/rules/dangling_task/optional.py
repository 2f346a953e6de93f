"""TG003's decision for a spawn no TaskGroup certainly takes: an optional one (the
function's `tg` parameter, else `self.tg`), the TaskGroup its class keeps (a
synchronous method: a callback, often), or only a strong reference (``kept.py``)."""

from __future__ import annotations

from typing import Protocol

import libcst as cst

from codemods.cst.scopes import ClassScope, Frame
from codemods.rules.dangling_task.analysis import INTO_KEPT
from codemods.rules.dangling_task.kept import KeptSpawns
from codemods.rules.dangling_task.values import TakenFunctions


class DanglingTask(Protocol):
    """What the decisions read and record of TG003's codemod (``codemod.py``)."""

    scopes: list[ClassScope | Frame]
    values: TakenFunctions
    param: str
    kept: KeptSpawns
    fixed: int
    uses_asyncio: bool
    gaining: dict[cst.FunctionDef, str]
    storing: dict[cst.ClassDef, str]
    rebuild: dict[cst.Call, tuple[Frame, str, bool]]

    def report(
        self, node: cst.CSTNode, message: str, *, fixable: bool, group: str | None
    ) -> bool: ...

    def named_spawn(
        self, frame: Frame, original: cst.Call, updated: cst.Call
    ) -> cst.Call: ...

    def keep_spawn(
        self,
        frame: Frame,
        original: cst.Call,
        updated: cst.Call,
        spelled: str,
        why: str,
    ) -> cst.Call: ...

    def class_keeping(self, node: cst.ClassDef) -> tuple[bool, bool] | None: ...


class OptionalGroups:
    """The decisions, made for ``codemod`` (which applies them on the way out)."""

    def __init__(self, codemod: DanglingTask) -> None:
        self.codemod = codemod

    def class_keeps(self, frame: Frame) -> bool:
        """Whether synchronous method ``frame`` may spawn into ``self.tg``: its
        (top-level) class keeps one, which some construction passes."""
        scope = frame.method_of
        if (
            scope is None
            or self.codemod.scopes[0] is not scope
            or len(self.codemod.scopes) != 2
        ):
            return False
        return (
            self.codemod.class_keeping(scope.node) is not None
            and not self.codemod.values.constructor_taken(scope.node)
            and self.codemod.values.constructor_passed(scope.node)
        )

    def through_kept(
        self, frame: Frame, original: cst.Call, updated: cst.Call, spelled: str
    ) -> cst.Call:
        """Spawn into ``self.tg`` (its caller passes nothing: a callback, often)."""
        stored, name = f"self.{self.codemod.param}", frame.function.name.value
        message = INTO_KEPT.format(spelled=spelled, stored=stored, name=name)
        group = self.codemod.values.owner_group(self.codemod.scopes)
        if not self.codemod.report(
            original,
            message + self.codemod.kept.stale_ignore(original),
            fixable=True,
            group=group,
        ):
            return updated
        self.codemod.fixed += 1
        self.codemod.uses_asyncio = True
        assert frame.method_of is not None
        self.codemod.storing[frame.method_of.node] = group
        self.codemod.rebuild[original] = (frame, stored, False)
        return self.codemod.named_spawn(frame, original, updated)

    def through_optional(
        self, frame: Frame, original: cst.Call, updated: cst.Call, spelled: str
    ) -> cst.Call:
        """Decide the conditional spawn (built by leave_SimpleStatementLine)."""
        # No TaskGroup is certainly in scope here, so this finds only an optional one.
        found = frame.taskgroup()
        scope = frame.method_of
        keeping = None if scope is None else self.codemod.class_keeping(scope.node)
        # `self.tg`: kept by `__init__` already, or given to it by a caller.
        keeps = (
            scope is not None
            and keeping is not None
            and not self.codemod.values.constructor_taken(scope.node)
            and (not keeping[0] or self.codemod.values.constructor_passed(scope.node))
        )
        if found is None:
            # A method of a class keeping `self.tg` takes one too (callers holding a
            # group pass theirs); any other function only if some caller passes one.
            taken = self.codemod.values.taken(self.codemod.scopes)
            if (
                taken is None
                and not keeps
                and not self.codemod.values.passed(self.codemod.scopes)
            ):
                taken = self.codemod.values.unpassed(self.codemod.scopes)
            if taken is not None:
                return self.codemod.keep_spawn(frame, original, updated, spelled, taken)
        param = self.codemod.param if found is None else found[0]
        via = f", else `self.{self.codemod.param}`" if keeps else ""
        message = (
            f"spawn the task {spelled} throws away into `{param}`{via}, else keep a "
            f"strong reference to it until it is done{self.codemod.kept.stale_ignore(original)}"
        )
        gains = found is None
        group = (
            self.codemod.values.owner_group(self.codemod.scopes)
            if gains or keeps
            else None
        )
        if not self.codemod.report(original, message, fixable=True, group=group):
            return updated
        self.codemod.fixed += 1
        self.codemod.uses_asyncio = True
        if gains and group is not None:
            self.codemod.gaining[frame.function] = group
        if keeps and scope is not None and group is not None:
            self.codemod.storing[scope.node] = group
        self.codemod.rebuild[original] = (frame, param, keeps)
        return self.codemod.named_spawn(frame, original, updated)
