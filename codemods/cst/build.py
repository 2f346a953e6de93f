"""Building the code codemods generate, in the shapes ``docs/design.md`` fixes.

Generated statements are written as text, wrapped the way black would when too long,
then parsed; arguments taken from the user's code keep their own formatting.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst

from codemods.cst.walk import visit

_RENDER = cst.Module(body=[])


def code_of(node: cst.CSTNode) -> str:
    return _RENDER.code_for_node(node)


def fresh_name(base: str, used: Collection[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... if it is taken."""
    if base not in used:
        return base
    number = 2
    while f"{base}_{number}" in used:
        number += 1
    return f"{base}_{number}"


def render_call(
    head: str,
    args: Sequence[str],
    *,
    column: int,
    line_length: int,
    unit: str = "    ",
    tail: str = "",
) -> str:
    """``head(args)tail`` as black lays it out when it starts at ``column``.

    One line if it fits; else the arguments on one indented line; else one argument a
    line with a trailing comma. The result is relative to ``column`` (not indented).
    """
    joined = ", ".join(args)
    one_line = f"{head}({joined}){tail}"
    if column + len(one_line) <= line_length or not args:
        return one_line
    if column + len(unit) + len(joined) <= line_length:
        return f"{head}(\n{unit}{joined}\n){tail}"
    exploded = "".join(f"{unit}{arg},\n" for arg in args)
    return f"{head}(\n{exploded}){tail}"


def call_arguments(call: cst.Call) -> list[str]:
    """The source of each argument of ``call``, without commas."""
    return [
        code_of(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
        for arg in call.args
    ]


def is_multiline(node: cst.CSTNode) -> bool:
    return "\n" in code_of(node)


def spawn_call(
    func: str,
    original: cst.Call,
    *,
    column: int,
    line_length: int,
    unit: str,
    prefix: str = "",
) -> str:
    """Source of ``prefix + func(<original's arguments>)`` laid out for ``column``.

    Multi-line arguments are not re-laid out here: see :func:`adopt_arguments`.
    """
    return render_call(
        prefix + func,
        call_arguments(original),
        column=column,
        line_length=line_length,
        unit=unit,
    )


class _AdoptArguments(cst.CSTTransformer):
    """Give every call to one of ``funcs`` the arguments (and layout) of ``original``."""

    def __init__(self, funcs: Collection[str], original: cst.Call) -> None:
        self.funcs = funcs
        self.original = original

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if code_of(updated_node.func) in self.funcs:
            return updated_node.with_changes(
                args=self.original.args,
                whitespace_before_args=self.original.whitespace_before_args,
            )
        return updated_node


def adopt_arguments(
    statement: cst.BaseStatement, funcs: Collection[str], original: cst.Call
) -> cst.BaseStatement:
    """Use ``original``'s argument nodes in the generated calls to ``funcs``.

    Used when those arguments span lines: their own layout is kept as written.
    """
    adopted = visit(statement, _AdoptArguments(funcs, original))
    assert isinstance(adopted, cst.BaseStatement)
    return adopted


def parse_statement(code: str, module: cst.Module) -> cst.BaseStatement:
    """Parse generated ``code`` with the module's newline and indentation."""
    config = module.config_for_parsing
    return cst.parse_statement(code.replace("    ", module.default_indent), config)


def add_parameter(
    function: cst.FunctionDef,
    param_code: str,
    *,
    column: int,
    line_length: int,
    unit: str,
    keyword_only: bool = False,
) -> cst.FunctionDef:
    """``function`` with ``param_code`` (``tg: ... = None``) as its last plain parameter.

    After ``*args`` or ``*`` it becomes keyword-only, and with ``keyword_only`` a ``*``
    is added for it if need be; it always precedes ``**kwargs``. An exploded signature
    (one parameter a line, trailing comma) gets one more line in its style; any other
    is laid out again as black would, unless comments live inside it.
    """
    params = function.params
    star = keyword_only and isinstance(params.star_arg, cst.MaybeSentinel)
    keyword_only = keyword_only or not isinstance(params.star_arg, cst.MaybeSentinel)
    parsed = cst.parse_module(
        f"def _({'*, ' if keyword_only else ''}{param_code}): pass\n"
    )
    parsed_def = parsed.body[0]
    assert isinstance(parsed_def, cst.FunctionDef)
    fresh = (
        parsed_def.params.kwonly_params if keyword_only else parsed_def.params.params
    )[0]
    items = _ordered(params)
    if (
        items
        and is_multiline(params)
        and isinstance(getattr(items[-1], "comma", None), cst.Comma)
    ):
        return function.with_changes(
            params=_append_exploded(params, items, fresh, unit, star=star)
        )
    with_fresh = _appended(params, fresh, cst.ParamStar() if star else None)
    if "#" in code_of(params):
        return function.with_changes(params=with_fresh)
    return _relaid(function.with_changes(params=with_fresh), column, line_length, unit)


def _appended(
    params: cst.Parameters, fresh: cst.Param, star: cst.ParamStar | None = None
) -> cst.Parameters:
    """``params`` and ``fresh``, keyword-only after ``star`` when one is given."""
    if star is not None:
        return params.with_changes(
            star_arg=star, kwonly_params=[*params.kwonly_params, fresh]
        )
    if isinstance(params.star_arg, cst.MaybeSentinel):
        return params.with_changes(params=[*params.params, fresh])
    return params.with_changes(kwonly_params=[*params.kwonly_params, fresh])


def _append_exploded(
    params: cst.Parameters,
    items: Sequence[cst.CSTNode],
    fresh: cst.Param,
    unit: str,
    *,
    star: bool = False,
) -> cst.Parameters:
    """Add ``fresh`` on a line of its own (``star``: after a ``*`` on a line of its
    own), copying the commas around it."""
    between = next(
        (
            comma
            for item in items[:-1]
            if isinstance(comma := getattr(item, "comma", None), cst.Comma)
        ),
        cst.Comma(
            whitespace_after=cst.ParenthesizedWhitespace(
                indent=True, last_line=cst.SimpleWhitespace(unit)
            )
        ),
    )
    after = between.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        # Its layout, not the comment that follows it on its line.
        between = between.with_changes(
            whitespace_after=after.with_changes(first_line=cst.TrailingWhitespace())
        )
    if params.star_kwarg is None:
        # The new parameter becomes the last: it takes the comma leading to `)`.
        last = items[-1]
        closing = getattr(last, "comma", cst.MaybeSentinel.DEFAULT)
        kept = between
        ending = getattr(closing, "whitespace_after", None)
        if (
            isinstance(closing, cst.Comma)
            and isinstance(ending, cst.ParenthesizedWhitespace)
            and isinstance(after, cst.ParenthesizedWhitespace)
        ):
            # The last parameter keeps the comment on its line; the new one does not.
            kept = between.with_changes(
                whitespace_after=after.with_changes(first_line=ending.first_line)
            )
            closing = closing.with_changes(
                whitespace_after=ending.with_changes(
                    first_line=cst.TrailingWhitespace()
                )
            )
        replaced = params.deep_replace(last, last.with_changes(comma=kept))
        assert isinstance(replaced, cst.Parameters)
        params = replaced
        return _appended(
            params, fresh.with_changes(comma=closing), _star(star, between)
        )
    return _appended(params, fresh.with_changes(comma=between), _star(star, between))


def _star(wanted: bool, comma: cst.Comma) -> cst.ParamStar | None:
    return cst.ParamStar(comma=comma) if wanted else None


def relaid_signature(
    function: cst.FunctionDef, column: int, line_length: int, unit: str
) -> cst.FunctionDef:
    """``function`` with its signature laid out again as black would, when it holds
    no comment and was not exploded one parameter a line (its own layout, kept)."""
    params = function.params
    if "#" in code_of(params) or is_multiline(params):
        return function
    return _relaid(function, column, line_length, unit)


def _relaid(
    function: cst.FunctionDef, column: int, line_length: int, unit: str
) -> cst.FunctionDef:
    """Lay a signature out again: black's one line / one indented line / exploded."""
    params = function.params
    rendered = [_param_text(item) for item in _ordered(params)]
    returns = (
        ""
        if function.returns is None
        else f" -> {code_of(function.returns.annotation)}"
    )
    prefix = "async " if function.asynchronous is not None else ""
    text = render_call(
        f"{prefix}def {function.name.value}",
        rendered,
        column=column,
        line_length=line_length,
        unit=unit,
        tail=f"{returns}:",
    )
    parsed = cst.parse_module(f"{text}\n{unit}pass\n")
    parsed_def = parsed.body[0]
    assert isinstance(parsed_def, cst.FunctionDef)
    return function.with_changes(
        params=parsed_def.params,
        whitespace_before_params=parsed_def.whitespace_before_params,
    )


def _param_text(item: cst.CSTNode) -> str:
    if isinstance(item, cst.ParamStar):
        return "*"
    if isinstance(item, cst.ParamSlash):
        return "/"
    assert isinstance(item, cst.Param)
    return code_of(item.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()


def _ordered(params: cst.Parameters) -> list[cst.CSTNode]:
    """Every element of a parameter list in source order (``/`` and ``*`` included)."""
    items: list[cst.CSTNode] = list(params.posonly_params)
    if isinstance(params.posonly_ind, cst.ParamSlash):
        items.append(params.posonly_ind)
    items.extend(params.params)
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)):
        items.append(params.star_arg)
    items.extend(params.kwonly_params)
    if params.star_kwarg is not None:
        items.append(params.star_kwarg)
    return items


def with_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``keyword=value`` as its last argument, in the call's own layout.

    An exploded call (trailing comma) gets a line of its own, indented like the first
    argument; any other gets ``, keyword=value`` after its last argument.
    """
    fresh = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
    )
    if not call.args:
        return call.with_changes(args=[fresh])
    *rest, last = call.args
    if isinstance(last.comma, cst.Comma):
        opening = call.whitespace_before_args
        line: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace(" ")
        if isinstance(opening, cst.ParenthesizedWhitespace):
            # The opening's indentation, without a comment it may carry.
            line = opening.with_changes(
                first_line=cst.TrailingWhitespace(), empty_lines=[]
            )
        spaced = last.with_changes(comma=cst.Comma(whitespace_after=line))
        fresh = fresh.with_changes(comma=last.comma)
        return call.with_changes(args=[*rest, spaced, fresh])
    spaced = last.with_changes(
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        whitespace_after_arg=cst.SimpleWhitespace(""),
    )
    fresh = fresh.with_changes(whitespace_after_arg=last.whitespace_after_arg)
    return call.with_changes(args=[*rest, spaced, fresh])
