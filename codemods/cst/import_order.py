"""Where isort and Ruff's ``I001`` put an import and the names of a ``from`` import, as
the project configures them (``ImportOrder``), and an import laid out as they wrap it."""

from __future__ import annotations

import libcst as cst

from codemods.core.settings import ImportOrder
from codemods.cst.build import code_of


def member_key(name: str, order: ImportOrder) -> tuple[int, str, str]:
    """Where ``name`` sorts among the names of a ``from`` import: by default
    (``order-by-type``) constants, then classes, then the rest, each
    case-insensitively."""
    kind = 2
    if not order.order_by_type:
        kind = 0
    elif len(name) > 1 and name.upper() == name and name.lower() != name:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    return kind, name if order.case_sensitive else name.lower(), name


def statement_key(
    module: str, plain: bool, member: str | None, order: ImportOrder
) -> tuple[object, ...]:
    """Where an import of ``module`` sorts in its section: ``import x`` lines before
    ``from x import`` ones unless ``force-sort-within-sections``; then by module,
    then (a line a name, ``force-single-line``) by the name imported."""
    name = module if order.case_sensitive else module.lower()
    names = () if member is None else member_key(member, order)
    if order.force_sort_within_sections:
        return name, not plain, names
    return not plain, name, names


def with_member(
    statement: cst.ImportFrom, name: str, order: ImportOrder
) -> cst.ImportFrom:
    """``statement`` importing ``name`` too, at its sorted place (at the end if the
    names are not sorted), separated as its names are."""
    assert not isinstance(statement.names, cst.ImportStar)
    names = list(statement.names)
    keys = [member_key(code_of(alias.name), order) for alias in names]
    wanted = member_key(name, order)
    position = len(names)
    if keys == sorted(keys):
        position = next((i for i, key in enumerate(keys) if key > wanted), len(names))
    separator = names[0].comma
    if len(names) == 1 or not isinstance(separator, cst.Comma):
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    new = cst.ImportAlias(name=cst.Name(name), comma=separator)
    if position == len(names):
        last = names[-1]
        new = new.with_changes(comma=last.comma)
        names[-1] = last.with_changes(comma=separator)
    names.insert(position, new)
    return statement.with_changes(names=names)


def width(module: cst.Module, line: cst.SimpleStatementLine) -> int:
    """The columns of the longest line of ``line``."""
    code = module.code_for_node(line.with_changes(leading_lines=[]))
    return max(len(text) for text in code.splitlines())


def wrapped(
    module: cst.Module, line: cst.SimpleStatementLine, statement: cst.ImportFrom
) -> cst.SimpleStatementLine:
    """``line`` in isort's vertical hanging indent, one name a line."""
    assert not isinstance(statement.names, cst.ImportStar)
    assert statement.module is not None
    indent = module.default_indent
    members = "".join(
        f"{indent}{code_of(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))},\n"
        for alias in statement.names
    )
    text = f"from {code_of(statement.module)} import (\n{members})\n"
    new = cst.parse_statement(text, module.config_for_parsing)
    assert isinstance(new, cst.SimpleStatementLine)
    return new.with_changes(
        leading_lines=line.leading_lines, trailing_whitespace=line.trailing_whitespace
    )
