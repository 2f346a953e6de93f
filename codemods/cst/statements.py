"""Statements as analyses read them: the simple statements a function's own code runs
(nested functions and classes aside, every block of a compound statement walked), and
the ``self.attr [: T] = value`` assignments among them."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst


def small_statements(statement: cst.BaseStatement) -> list[cst.BaseSmallStatement]:
    return (
        list(statement.body) if isinstance(statement, cst.SimpleStatementLine) else []
    )


def self_assignments(
    method: cst.FunctionDef, receiver: str
) -> list[tuple[str, cst.BaseExpression | None, cst.BaseExpression | None]]:
    """(attribute, annotation, value) of each ``<receiver>.attr [: T] = value`` in the
    method's own body.

    An assignment is a statement, never inside an expression, so only statements are
    walked: visiting every node of every method was most of the facts' cost."""
    found: list[tuple[str, cst.BaseExpression | None, cst.BaseExpression | None]] = []

    def attribute_of(target: cst.BaseExpression) -> str | None:
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == receiver
        ):
            return target.attr.value
        return None

    for small in _ownsmall_statements(method.body):
        if isinstance(small, cst.Assign):
            for target in small.targets:
                name = attribute_of(target.target)
                if name is not None:
                    found.append((name, None, small.value))
        elif isinstance(small, cst.AnnAssign):
            name = attribute_of(small.target)
            if name is not None:
                found.append((name, small.annotation.annotation, small.value))
    return found


def _ownsmall_statements(suite: cst.BaseSuite) -> Iterator[cst.BaseSmallStatement]:
    """The simple statements of ``suite`` and of the blocks nested in it, in order,
    without those of nested functions and classes (scopes of their own)."""
    if isinstance(suite, cst.SimpleStatementSuite):
        yield from suite.body
        return
    for statement in suite.body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, cst.BaseCompoundStatement) and not isinstance(
            statement, (cst.FunctionDef, cst.ClassDef)
        ):
            for block in blocks(statement):
                yield from _ownsmall_statements(block)


def blocks(statement: cst.BaseCompoundStatement) -> Iterator[cst.BaseSuite]:
    """The suites of a compound statement: body, ``elif``/``else``, handlers, cases."""
    if isinstance(statement, cst.Match):
        for case in statement.cases:
            yield case.body
        return
    yield statement.body
    if isinstance(statement, (cst.Try, cst.TryStar)):
        for handler in statement.handlers:
            yield handler.body
        if statement.finalbody is not None:
            yield statement.finalbody.body
    orelse = getattr(statement, "orelse", None)
    while orelse is not None:
        yield orelse.body
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
