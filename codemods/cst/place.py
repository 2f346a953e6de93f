"""Placing a statement in a body: where a codemod adds code to a function, a class or
a module, so that it reads as if written there (after the imports, after the other
assignments, before the first use of what it binds)."""

from __future__ import annotations

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.find import find_all, is_call_of
from codemods.cst.walk import visit


def declares(body: cst.CSTNode, target: str) -> bool:
    """Whether ``body`` (a function's, a statement) assigns ``target`` (``self._x``)."""
    found = False

    class _Find(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            nonlocal found
            found |= code_of(node.target) == target

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            nonlocal found
            found |= code_of(node.target) == target

    visit(body, _Find())
    return found


def append_to_function(
    function: cst.FunctionDef, statement: cst.BaseStatement
) -> cst.FunctionDef:
    """``function`` with ``statement`` as the last statement of its body."""
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):
        # `def __init__(self): pass` on one line: give it a block first.
        body = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=body.body)])
    assert isinstance(body, cst.IndentedBlock)
    return function.with_changes(body=body.with_changes(body=[*body.body, statement]))


def insert_after_imports(
    module: cst.Module, statement: cst.BaseStatement
) -> cst.Module:
    """``module`` with ``statement`` after its top imports, set off by a blank line."""
    body = list(module.body)
    index = 0
    while index < len(body) and _is_preamble(body[index], index):
        index += 1
    assert isinstance(statement, cst.SimpleStatementLine)
    body.insert(index, statement.with_changes(leading_lines=[cst.EmptyLine()]))
    return module.with_changes(body=body)


def _is_preamble(statement: cst.BaseStatement, index: int) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body
    if all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
        return True
    return (
        index == 0
        and len(small) == 1
        and isinstance(small[0], cst.Expr)
        and isinstance(small[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


ASSIGNMENTS = (cst.Assign, cst.AnnAssign, cst.AugAssign)


def insert_after_assignments(
    function: cst.FunctionDef, statement: cst.BaseStatement, keeper_name: str
) -> cst.FunctionDef:
    """``function`` with ``statement`` after the last assignment at the top of its body
    (not counting the keeper), else before the keeper, else at the end."""
    if not isinstance(function.body, cst.IndentedBlock):
        return append_to_function(function, statement)
    statements = list(function.body.body)
    keeper = f"self.{keeper_name}"
    assignments = [
        index
        for index, current in enumerate(statements)
        if isinstance(current, cst.SimpleStatementLine)
        and any(isinstance(s, ASSIGNMENTS) for s in current.body)
        and not declares(current, keeper)
    ]
    keepers = [i for i, current in enumerate(statements) if declares(current, keeper)]
    if assignments:
        position = assignments[-1] + 1
    else:
        position = keepers[0] if keepers else len(statements)
    statements.insert(position, statement)
    return function.with_changes(body=function.body.with_changes(body=statements))


def insert_before_first_use(
    function: cst.FunctionDef, statement: cst.BaseStatement, name: str
) -> cst.FunctionDef:
    """Insert ``statement`` before the first body statement that calls ``name``.

    The statement takes over that statement's leading blank lines and comments.
    """
    body = function.body
    if isinstance(body, cst.SimpleStatementSuite):
        # `def f(): x = spawn(...)`: the body moves to a line of its own, comment too.
        line = cst.SimpleStatementLine(
            body=list(body.body), trailing_whitespace=body.trailing_whitespace
        )
        body = cst.IndentedBlock(body=[line])
    statements = list(body.body)
    for index, current in enumerate(statements):
        if any(is_call_of(call, name) for call in find_all(current, cst.Call)):
            assert isinstance(
                current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
            )
            assert isinstance(statement, cst.SimpleStatementLine)
            statements[index] = current.with_changes(leading_lines=[])
            statements.insert(
                index, statement.with_changes(leading_lines=current.leading_lines)
            )
            return function.with_changes(body=body.with_changes(body=statements))
    return function
