"""TG003's spawns that no TaskGroup takes: kept as written, with a strong reference to
their task until it is done, and the ``# type: ignore`` the fix makes stale."""

from __future__ import annotations

import libcst as cst

from codemods.core.noqa import ignored_discards
from codemods.cst.build import fresh_name
from codemods.cst.names import names_used
from codemods.cst.scopes import Frame
from codemods.cst.spawn_code import Keepers, kept_spawn


class KeptSpawns:
    """The kept spawns of one module, decided while visiting, rewritten on leaving."""

    def __init__(self, keepers: Keepers) -> None:
        self.keepers = keepers
        # Spawn -> its function, and whether it may return a plain Future.
        self.decided: dict[cst.Call, tuple[Frame, bool]] = {}
        # `# type: ignore[...]` codes of a discarded value on a spawn's line.
        self.ignores: dict[cst.Call, str] = {}
        # Names given to kept Futures, one each: their types may differ (mypy).
        self.futures: dict[cst.FunctionDef, set[str]] = {}

    def note_line(self, node: cst.SimpleStatementLine) -> None:
        """Remember a ``# type: ignore[unused-awaitable]`` on a spawn's line."""
        comment = node.trailing_whitespace.comment
        small = node.body[0]
        if comment is not None and isinstance(small, (cst.Expr, cst.Assign)):
            codes = ignored_discards(comment.value)
            if codes and isinstance(small.value, cst.Call):
                self.ignores[small.value] = codes

    def stale_ignore(self, call: cst.Call) -> str:
        """What a finding adds when the line ignores a discarded value for mypy: the
        fix keeps the comment, which then ignores nothing (``warn_unused_ignores``)."""
        codes = self.ignores.get(call)
        if codes is None:
            return ""
        return (
            f"; the task is no longer thrown away, so the line's `# type: ignore[{codes}]`"
            " ignores nothing: remove it"
        )

    def rewrite(
        self, call: cst.Call, updated: cst.SimpleStatementLine
    ) -> cst.FlattenSentinel[cst.BaseStatement]:
        """The spawn as written, its task kept in the keeper until it is done."""
        frame, future = self.decided.pop(call)
        spawn = spawn_of(updated)
        used = names_used(frame.function)
        name = fresh_name("task", used)
        if future:
            taken = self.futures.setdefault(frame.function, set())
            name = fresh_name("future", used | taken)
            taken.add(name)
        statements = kept_spawn(
            spawn,
            keeper=self.keepers.request(frame, spawn, future=future),
            task=name,
            module=self.keepers.module,
            line=updated,
        )
        return cst.FlattenSentinel(statements)


def spawn_of(statement: cst.SimpleStatementLine) -> cst.Call:
    """The spawn call of a (rewritten) statement ``spawn(...)`` or ``_ = spawn(...)``."""
    small = statement.body[0]
    assert isinstance(small, (cst.Expr, cst.Assign)) and isinstance(
        small.value, cst.Call
    )
    return small.value
