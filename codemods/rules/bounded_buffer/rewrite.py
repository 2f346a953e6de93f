"""TG004's tree surgery: the flush method restructured, the generated members added.

The text comes from :mod:`_buffer_code`; these functions parse it with the module's own
indentation and newline, and place it (``docs/design.md``, "Bounded buffer (TG004)").
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.cst.build import fresh_name
from codemods.cst.names import names_used
from codemods.rules.bounded_buffer.code import BufferCode, section_comment
from codemods.rules.bounded_buffer.drains import Drain

SECTION = "# -- "
BLANK = cst.EmptyLine(indent=False)


def parse_statements(text: str, module: cst.Module) -> list[cst.BaseStatement]:
    """Generated ``text`` (four-space indented) as statements of ``module``."""
    unit = module.default_indent
    parsed = cst.parse_module(text.replace("    ", unit), module.config_for_parsing)
    return list(parsed.body)


def list_of(deque: str, original: cst.BaseExpression) -> cst.Call:
    """``list(self.<deque>)`` in place of ``original`` (keeping its parentheses)."""
    argument = cst.Arg(cst.Attribute(cst.Name("self"), cst.Name(deque)))
    return cst.Call(
        cst.Name("list"), [argument], lpar=original.lpar, rpar=original.rpar
    )


def replace_line(
    line: cst.SimpleStatementLine, text: str, module: cst.Module
) -> cst.FlattenSentinel[cst.BaseStatement]:
    """The statements of ``text`` for ``line``: its leading lines and trailing comment
    (on a line of its own) go before them."""
    new = parse_statements(text, module)
    leading = list(line.leading_lines)
    if line.trailing_whitespace.comment is not None:
        leading.append(cst.EmptyLine(comment=line.trailing_whitespace.comment))
    first = new[0]
    assert isinstance(first, cst.SimpleStatementLine)
    new[0] = first.with_changes(leading_lines=leading)
    return cst.FlattenSentinel(new)


def restructured(
    original: cst.FunctionDef,
    updated: cst.FunctionDef,
    drain: Drain,
    code: BufferCode,
    module: cst.Module,
) -> cst.FunctionDef:
    """Take the batch under the lock; write it outside; settle it either way."""
    if drain.late or drain.block is None:
        return _restructured_late(original, updated, drain, code, module)
    assert drain.block is not None
    assert isinstance(original.body, cst.IndentedBlock)
    assert isinstance(updated.body, cst.IndentedBlock)
    assert isinstance(drain.block.body, cst.IndentedBlock)
    at = next(i for i, s in enumerate(original.body.body) if s is drain.block)
    reset = next(i for i, s in enumerate(drain.block.body.body) if s is drain.reset)
    split = reset + 1 + drain.swap  # a swap became two statements
    block = updated.body.body[at]
    assert isinstance(block, cst.With) and isinstance(block.body, cst.IndentedBlock)
    io = [*block.body.body[split:], *updated.body.body[at + 1 :]]
    if io:
        first = io[0]
        assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
        comments = [ln for ln in first.leading_lines if ln.comment is not None]
        io[0] = first.with_changes(leading_lines=comments)
    flag = fresh_name("flush_failed", names_used(original))
    start, attempt = parse_statements(code.drain_tail(drain.batch, flag), module)
    assert isinstance(start, cst.SimpleStatementLine)
    assert isinstance(attempt, cst.Try) and isinstance(attempt.body, cst.IndentedBlock)
    attempt = attempt.with_changes(
        body=attempt.body.with_changes(body=[*io, attempt.body.body[-1]])
    )
    body = [
        *updated.body.body[:at],
        block.with_changes(body=block.body.with_changes(body=block.body.body[:split])),
        start.with_changes(leading_lines=[BLANK]),
        attempt,
    ]
    return updated.with_changes(body=updated.body.with_changes(body=body))


def _restructured_late(
    original: cst.FunctionDef,
    updated: cst.FunctionDef,
    drain: Drain,
    code: BufferCode,
    module: cst.Module,
) -> cst.FunctionDef:
    """Take the batch and empty the buffer before the first await of the write, in
    place (under the lock, if the flush holds one); put it back if the write fails."""
    assert isinstance(original.body, cst.IndentedBlock)
    assert isinstance(updated.body, cst.IndentedBlock)

    def rebuilt(
        before: Sequence[cst.BaseStatement],
        after: Sequence[cst.BaseStatement],
        path: tuple[int, ...],
    ) -> list[cst.BaseStatement]:
        if not path:
            depth = len(drain.path)
            return _late_body(before, after, drain, code, module, depth)
        at, old, new = path[0], before[path[0]], after[path[0]]
        assert isinstance(old, (cst.With, cst.Try)) and isinstance(new, type(old))
        assert isinstance(old.body, cst.IndentedBlock)
        assert isinstance(new.body, cst.IndentedBlock)
        inner = rebuilt(old.body.body, new.body.body, path[1:])
        new = new.with_changes(body=new.body.with_changes(body=inner))
        return [*after[:at], new, *after[at + 1 :]]

    body = rebuilt(original.body.body, updated.body.body, drain.path)
    return updated.with_changes(body=updated.body.with_changes(body=body))


def _late_body(
    original: Sequence[cst.BaseStatement],
    updated: Sequence[cst.BaseStatement],
    drain: Drain,
    code: BufferCode,
    module: cst.Module,
    depth: int = 0,
) -> list[cst.BaseStatement]:
    """``original`` (as ``updated``) with the reset moved before the write, and the
    write wrapped so a failed batch goes back."""
    start = next(i for i, s in enumerate(original) if s is drain.io[0])
    if not drain.late:
        # Taken and emptied already (a swap became two lines): only the wrapping.
        return _wrapped(updated, start + drain.swap, drain, code, module, depth)
    reset = next(i for i, s in enumerate(original) if s is drain.reset)
    deque = code.names.deque
    taking = f"self.{deque}.clear()\n"
    if drain.take is None:
        taking = f"{drain.batch} = list(self.{deque})\n{taking}"
    taken = parse_statements(taking, module)
    reset_line = updated[reset]
    assert isinstance(reset_line, cst.SimpleStatementLine)
    comments = [ln for ln in reset_line.leading_lines if ln.comment is not None]
    first = updated[start]
    assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    if drain.take is None:
        # The take stands where the write started, with what led into it.
        taken[0] = taken[0].with_changes(leading_lines=first.leading_lines)
        first = first.with_changes(leading_lines=())
    # The reset's comments go with it, a trailing one included.
    taken[-1] = taken[-1].with_changes(
        leading_lines=comments, trailing_whitespace=reset_line.trailing_whitespace
    )
    flag = fresh_name("flush_failed", names_used(drain.method))
    tail = code.drain_tail(drain.batch, flag, depth)
    begin, attempt = parse_statements(tail, module)
    assert isinstance(attempt, cst.Try) and isinstance(attempt.body, cst.IndentedBlock)
    write = [first, *updated[start + 1 : reset]]
    attempt = attempt.with_changes(
        body=attempt.body.with_changes(body=[*write, attempt.body.body[-1]])
    )
    return [*updated[:start], *taken, begin, attempt, *updated[reset + 1 :]]


def _wrapped(
    updated: Sequence[cst.BaseStatement],
    start: int,
    drain: Drain,
    code: BufferCode,
    module: cst.Module,
    depth: int,
) -> list[cst.BaseStatement]:
    """``updated`` with its statements from ``start`` on in the failure guard (a blank
    line before them stays before the guard)."""
    flag = fresh_name("flush_failed", names_used(drain.method))
    begin, attempt = parse_statements(code.drain_tail(drain.batch, flag, depth), module)
    assert isinstance(attempt, cst.Try) and isinstance(attempt.body, cst.IndentedBlock)
    assert isinstance(begin, cst.SimpleStatementLine)
    guarded = list(updated[start:])
    first = guarded[0]
    assert isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    blank = [ln for ln in first.leading_lines if ln.comment is None][:1]
    comments = [ln for ln in first.leading_lines if ln.comment is not None]
    guarded[0] = first.with_changes(leading_lines=comments)
    attempt = attempt.with_changes(
        body=attempt.body.with_changes(body=[*guarded, attempt.body.body[-1]])
    )
    return [*updated[:start], begin.with_changes(leading_lines=blank), attempt]


def add_methods(
    node: cst.ClassDef, code: BufferCode, drains: Sequence[Drain], module: cst.Module
) -> cst.ClassDef:
    """The buffer's methods, before its first flush method; in a class with
    ``# -- section ----`` comments, in a section of their own."""
    body = list(node.body.body)
    names = {d.method.name.value for d in drains}
    first = min(
        i
        for i, s in enumerate(body)
        if isinstance(s, cst.FunctionDef) and s.name.value in names
    )
    flush = body[first]
    assert isinstance(flush, cst.FunctionDef)
    if code.counting:
        texts = (
            code.counting_append_method(),
            code.put_back_method(),
            code.drop_method(),
        )
    else:
        texts = (code.append_method(), code.settle_method(), code.drop_method())
    methods = [
        method.with_changes(leading_lines=[BLANK])
        for text in texts
        for method in parse_statements(text, module)
        if isinstance(method, cst.FunctionDef)
    ]
    width = _section_width(body)
    if any(_is_section(line) for line in flush.leading_lines):
        # The flush method opened a section: the new methods open it instead.
        methods[0] = methods[0].with_changes(leading_lines=flush.leading_lines)
        body[first] = flush.with_changes(leading_lines=[BLANK])
    elif width is not None:
        comment = cst.EmptyLine(comment=cst.Comment(section_comment(width)))
        methods[0] = methods[0].with_changes(leading_lines=[BLANK, comment, BLANK])
    body[first:first] = methods
    return node.with_changes(body=node.body.with_changes(body=body))


def add_properties(
    node: cst.ClassDef, codes: Sequence[BufferCode], module: cst.Module
) -> cst.ClassDef:
    """Read-only properties with the old public names, right after ``__init__``."""
    properties = [
        prop.with_changes(leading_lines=[BLANK])
        for code in codes
        if code.names.public
        for prop in parse_statements(code.property(), module)
        if isinstance(prop, cst.FunctionDef)
    ]
    if not properties:
        return node
    body = list(node.body.body)
    init = next(
        i
        for i, s in enumerate(body)
        if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"
    )
    body[init + 1 : init + 1] = properties
    return node.with_changes(body=node.body.with_changes(body=body))


def _is_section(line: cst.EmptyLine) -> bool:
    text = line.comment.value if line.comment is not None else ""
    return text.startswith(SECTION) and text.endswith("---")


def _section_width(body: Sequence[cst.CSTNode]) -> int | None:
    """Width of the class's ``# -- section ----`` comments, if it has any."""
    for statement in body:
        if isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            for line in statement.leading_lines:
                if _is_section(line) and line.comment is not None:
                    return len(line.comment.value)
    return None
