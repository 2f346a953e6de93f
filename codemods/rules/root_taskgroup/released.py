"""How TG007 writes the split of an entry point's shutdown code that ``teardown.py``
finds: a flag set where the release tail began, the tail after the root TaskGroup
under that flag, and, with the legacy tracker's timeout, the drain deadline set there.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.cst.build import code_of, parse_statement
from codemods.rules.root_taskgroup.teardown import Teardown

# The release tail of the entry point's shutdown code (``teardown.py``) runs once the
# group has exited, where and only where it ran before: the flag says it was reached.
RELEASED = """\
# What the shutdown code releases, once the root's tasks are done.
if {stopped}:
    pass
"""
# With the legacy tracker's timeout, the deadline is set where the shutdown code ends;
# an exit before it (an early return) still gets the default.
LEGACY_DEADLINE = """\
# Background tasks still running after shutdown are cancelled
# after the timeout the legacy `{function}()` is given.
{drain}.reschedule(
    {aio}.get_running_loop().time() + {timeout}
)
"""
EARLY_DEADLINE = """\
if not {stopped}:
    pass
"""


@dataclass(frozen=True)
class ShutdownWriter:
    """The statements of the split, for one entry point."""

    tree: cst.Module
    aio: str
    drain: str
    stopped: str

    def unreached(self) -> cst.BaseStatement:
        return parse_statement(f"{self.stopped} = False\n", self.tree)

    def reached(self, legacy: Teardown | None) -> list[cst.BaseStatement]:
        """Where the tail began: the flag, and the legacy deadline if any."""
        reached = [parse_statement(f"{self.stopped} = True\n", self.tree)]
        if legacy is None or legacy.legacy_timeout is None:
            return reached
        code = LEGACY_DEADLINE.format(
            drain=self.drain,
            aio=self.aio,
            timeout=code_of(legacy.legacy_timeout),
            function=legacy.legacy_function,
        )
        return [*reached, parse_statement(code, self.tree)]

    def unless_reached(self, statements: list[cst.BaseStatement]) -> cst.BaseStatement:
        """``if not stopped:`` around ``statements``."""
        guard = parse_statement(EARLY_DEADLINE.format(stopped=self.stopped), self.tree)
        assert isinstance(guard, cst.If)
        return guard.with_changes(body=guard.body.with_changes(body=statements))

    def released(self, tail: list[cst.BaseStatement]) -> cst.Finally:
        """``finally: if stopped: <tail>``, its blank first lines dropped."""
        guard = parse_statement(RELEASED.format(stopped=self.stopped), self.tree)
        assert isinstance(guard, cst.If)
        first = tail[0]
        assert isinstance(first, cst.SimpleStatementLine)  # a release: one call
        comments = [line for line in first.leading_lines if line.comment is not None]
        tail = [first.with_changes(leading_lines=comments), *tail[1:]]
        guard = guard.with_changes(body=guard.body.with_changes(body=tail))
        return cst.Finally(body=cst.IndentedBlock(body=[guard]))


def split_shutdown(
    own: list[cst.BaseStatement],
    split: Teardown,
    reached: list[cst.BaseStatement],
) -> tuple[list[cst.BaseStatement], list[cst.BaseStatement]]:
    """``own`` without its release tail, ``reached`` where the tail began, and the
    tail."""
    if not split.in_finally:
        return [*own[: split.start], *reached], own[split.start :]
    last = own[-1]
    assert isinstance(last, cst.Try) and last.finalbody is not None
    block: list[cst.BaseStatement] = []
    for statement in last.finalbody.body.body:
        assert isinstance(statement, cst.BaseStatement)
        block.append(statement)
    kept = [*block[: split.start], *reached]
    finalbody = last.finalbody.with_changes(
        body=last.finalbody.body.with_changes(body=kept)
    )
    return [*own[:-1], last.with_changes(finalbody=finalbody)], block[split.start :]
