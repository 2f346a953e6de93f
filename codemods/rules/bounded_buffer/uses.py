"""TG004's analysis: which list attributes are buffers, and what each use of one is.

A buffer is an instance attribute ``__init__`` sets to ``[]`` that the class appends to
and clears. Every spelling of it is classified by where it stands (``append``, a read,
a copy, an alias...), and the flush methods that drain it are recognised by shape.
Nothing here changes code: :mod:`codemods.rules.bounded_buffer.codemod` decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.find import (
    Ancestors,
    is_empty_list,
    is_self,
    is_whole_slice,
    walk,
)
from codemods.rules.bounded_buffer.drains import Drain

# Calls that only read the list they are given (one positional argument).
READ_BUILTINS = frozenset(
    {"len", "bool", "tuple", "sorted", "set", "frozenset", "iter", "reversed"}
    | {"enumerate", "any", "all", "sum", "min", "max"}
)
READ_METHODS = frozenset({"count", "index"})
# Kinds of use. `read`: len, truthiness, iteration, membership and read-only calls;
# `mutate`: any other change; `other`: anything else (indexing, passing it on...).
APPEND = "append"
RESET = "reset"
COPY = "copy"
READ = "read"
ALIAS = "alias"
COMPARE = "compare"
DECLARE = "declare"
MUTATE = "mutate"
OTHER = "other"


@dataclass(frozen=True)
class Use:
    """One spelling ``<x>.<name>`` and what the code around it does with it."""

    node: cst.Attribute
    kind: str
    what: str
    # The method of the class it is in, when it is `self.<name>` there.
    method: cst.FunctionDef | None
    # Directly in that method's body (not in a nested function or lambda).
    direct: bool
    # Attributes `a` of every `async with self.a:` around it (in the same function).
    held: frozenset[str]
    statement: cst.SimpleStatementLine | None
    # For a copy spelled `.copy()` or `[:]`: that whole expression.
    container: cst.BaseExpression | None = None


@dataclass
class Buffer:
    name: str
    declaration: cst.SimpleStatementLine
    element: cst.BaseExpression | None
    uses: list[Use] = field(default_factory=list)
    drains: list[Drain] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _first_param(function: cst.FunctionDef) -> str | None:
    params = [*function.params.posonly_params, *function.params.params]
    if not params or any(
        isinstance(d.decorator, cst.Name)
        and d.decorator.value in ("staticmethod", "classmethod")
        for d in function.decorators
    ):
        return None
    return params[0].name.value


# -- classifying one use --------------------------------------------------------------


def classify(node: cst.BaseExpression, ancestors: Ancestors) -> tuple[str, str]:
    """(kind, description) of what the code around ``node`` does with its value."""
    parent = ancestors[-1]
    grand = ancestors[-2] if len(ancestors) > 1 else None
    if isinstance(parent, cst.Attribute) and parent.value is node:
        return _method_use(parent.attr.value, parent, ancestors[:-1])
    if isinstance(parent, cst.Arg) and parent.value is node:
        return _argument_use(parent, grand)
    if _is_test(node, parent) or (
        isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
    ):
        return READ, "tested"
    if isinstance(parent, cst.BooleanOperation):
        outer = ancestors.index(parent)
        if _is_test(parent, ancestors[outer - 1]):
            return READ, "tested"
        return OTHER, "used in `and`/`or`"
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node:
        return READ, "iterated"
    if isinstance(parent, cst.ComparisonTarget):
        if parent.comparator is node and isinstance(
            parent.operator, (cst.In, cst.NotIn)
        ):
            return READ, "searched"
        return COMPARE, "compared"
    if isinstance(parent, cst.Comparison):
        return COMPARE, "compared"
    if isinstance(parent, cst.Subscript) and parent.value is node:
        return _subscript_use(parent, grand)
    if isinstance(parent, cst.AssignTarget) and parent.target is node:
        if isinstance(grand, cst.Assign) and len(grand.targets) == 1:
            if is_empty_list(grand.value):
                return RESET, "reset to `[]`"
        return MUTATE, "reassigned"
    if isinstance(parent, cst.AnnAssign) and parent.target is node:
        return DECLARE, "declared"
    if isinstance(parent, cst.AugAssign) and parent.target is node:
        return MUTATE, "extended with `+=`"
    if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
        targets = (
            [t.target for t in parent.targets]
            if isinstance(parent, cst.Assign)
            else [parent.target]
        )
        if len(targets) == 1 and isinstance(targets[0], cst.Name):
            return ALIAS, f"bound to `{targets[0].value}`"
    if isinstance(parent, cst.Return):
        return OTHER, "returned"
    if isinstance(parent, cst.Del):
        return MUTATE, "deleted"
    return OTHER, "passed elsewhere"


def _is_test(node: cst.CSTNode, parent: cst.CSTNode) -> bool:
    return (
        isinstance(parent, (cst.If, cst.While, cst.IfExp, cst.Assert))
        and parent.test is node
    )


def _method_use(
    method: str, attribute: cst.Attribute, ancestors: Ancestors
) -> tuple[str, str]:
    call = ancestors[-1] if ancestors else None
    if not (isinstance(call, cst.Call) and call.func is attribute):
        return OTHER, f"`.{method}` taken"
    statement = _statement_of(call, ancestors[:-1])
    if method == "append" and statement is not None and len(call.args) == 1:
        return APPEND, "appended to"
    if method == "clear" and statement is not None:
        return RESET, "cleared"
    if method == "copy" and not call.args:
        return COPY, "copied"
    if method in READ_METHODS:
        return READ, f"searched with `.{method}()`"
    return MUTATE, f"changed with `.{method}()`"


def _statement_of(
    call: cst.Call, ancestors: Ancestors
) -> cst.SimpleStatementLine | None:
    """The statement line ``call`` is, when it is a whole statement on its own line."""
    if len(ancestors) < 2:
        return None
    expression, line = ancestors[-1], ancestors[-2]
    if (
        isinstance(expression, cst.Expr)
        and expression.value is call
        and isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
    ):
        return line
    return None


def _argument_use(arg: cst.Arg, call: cst.CSTNode | None) -> tuple[str, str]:
    if not isinstance(call, cst.Call):
        return OTHER, "passed elsewhere"
    func = call.func
    if (
        isinstance(func, cst.Name)
        and len(call.args) == 1
        and arg.keyword is None
        and arg.star == ""
    ):
        if func.value == "list":
            return COPY, "copied"
        if func.value in READ_BUILTINS:
            return READ, f"read by `{func.value}()`"
    return OTHER, f"passed to `{code_of(func)}()`"


def _subscript_use(
    subscript: cst.Subscript, grand: cst.CSTNode | None
) -> tuple[str, str]:
    if isinstance(grand, (cst.AssignTarget, cst.AugAssign, cst.Del, cst.AnnAssign)):
        if getattr(grand, "target", None) is subscript:
            return MUTATE, "assigned by index"
    if is_whole_slice(subscript):
        return COPY, "copied"
    return OTHER, "indexed"


# -- finding buffers ------------------------------------------------------------------


def declarations(init: cst.FunctionDef) -> list[Buffer]:
    """``self.<x>: list[T] = []`` (or ``self.<x> = []``) at the top of ``__init__``."""
    found = []
    body = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    for statement in body:
        if (
            not isinstance(statement, cst.SimpleStatementLine)
            or len(statement.body) != 1
        ):
            continue
        small = statement.body[0]
        if isinstance(small, cst.AnnAssign) and is_self(small.target):
            if is_empty_list(small.value):
                assert isinstance(small.target, cst.Attribute)
                element = _list_element(small.annotation.annotation)
                found.append(Buffer(small.target.attr.value, statement, element))
        elif isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if is_self(target) and is_empty_list(small.value):
                assert isinstance(target, cst.Attribute)
                found.append(Buffer(target.attr.value, statement, None))
    return found


def _list_element(annotation: cst.BaseExpression) -> cst.BaseExpression | None:
    """``T`` of ``list[T]`` / ``List[T]`` / ``typing.List[T]``."""
    if not isinstance(annotation, cst.Subscript) or len(annotation.slice) != 1:
        return None
    if code_of(annotation.value) not in ("list", "List", "typing.List"):
        return None
    index = annotation.slice[0].slice
    return index.value if isinstance(index, cst.Index) else None


def collect_uses(
    module: cst.Module, node: cst.ClassDef, names: Sequence[str]
) -> dict[str, list[Use]]:
    """Every ``<x>.<name>`` in ``module``, classified, by name."""
    wanted = set(names)
    found: dict[str, list[Use]] = {name: [] for name in names}
    for attribute, ancestors in walk(
        module, lambda n: isinstance(n, cst.Attribute) and n.attr.value in wanted
    ):
        assert isinstance(attribute, cst.Attribute)
        kind, what = classify(attribute, ancestors)
        method, direct, held = _where(attribute, ancestors, node)
        statement = next(
            (a for a in reversed(ancestors) if isinstance(a, cst.SimpleStatementLine)),
            None,
        )
        container: cst.CSTNode | None = None
        if kind == COPY and isinstance(ancestors[-1], cst.Subscript):
            container = ancestors[-1]
        elif kind == COPY and isinstance(ancestors[-1], cst.Attribute):
            container = ancestors[-2]  # the `.copy()` call
        assert container is None or isinstance(container, cst.BaseExpression)
        found[attribute.attr.value].append(
            Use(attribute, kind, what, method, direct, held, statement, container)
        )
    return found


def _where(
    attribute: cst.Attribute, ancestors: Ancestors, owner: cst.ClassDef
) -> tuple[cst.FunctionDef | None, bool, frozenset[str]]:
    """(method of ``owner`` whose ``self`` it is, directly in it?, locks held)."""
    if owner not in ancestors or not is_self(attribute):
        return None, False, frozenset()
    at = ancestors.index(owner)
    method = ancestors[at + 2] if len(ancestors) > at + 2 else None
    if not isinstance(method, cst.FunctionDef) or _first_param(method) != "self":
        return None, False, frozenset()
    inner = ancestors[at + 3 :]
    functions = [
        i for i, a in enumerate(inner) if isinstance(a, (cst.FunctionDef, cst.Lambda))
    ]
    held: set[str] = set()
    for block in inner[functions[-1] + 1 if functions else 0 :]:
        if isinstance(block, cst.With) and block.asynchronous is not None:
            held.update(
                item.item.attr.value
                for item in block.items
                if isinstance(item.item, cst.Attribute) and is_self(item.item)
            )
    return method, not functions, frozenset(held)
