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
    # A `deque(...)` declaration: its constructor (None: a list), and its `maxlen`.
    constructor: cst.Call | None = None
    capacity: cst.BaseExpression | None = None
    # The declared type's spelling without `[T]` (`deque`, `collections.deque`).
    container: str = "list"
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
    """``self.<x>: list[T] = []`` (or ``self.<x> = []``), or ``self.<x>: deque[T] =
    deque(maxlen=...)``, at the top of ``__init__``; not lists of callbacks or tasks."""
    found = []
    body = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    for statement in body:
        if (
            not isinstance(statement, cst.SimpleStatementLine)
            or len(statement.body) != 1
        ):
            continue
        small = statement.body[0]
        annotation: cst.BaseExpression | None = None
        if isinstance(small, cst.AnnAssign):
            target, value = small.target, small.value
            annotation = small.annotation.annotation
        elif isinstance(small, cst.Assign) and len(small.targets) == 1:
            target, value = small.targets[0].target, small.value
        else:
            continue
        if not is_self(target) or value is None:
            continue
        assert isinstance(target, cst.Attribute)
        name = target.attr.value
        if is_empty_list(value):
            found.append(Buffer(name, statement, _element(annotation, LISTS)))
        elif (constructor := _empty_deque(value)) is not None:
            buffer = Buffer(name, statement, _element(annotation, DEQUES), constructor)
            buffer.capacity = _maxlen(constructor)
            if isinstance(annotation, cst.Subscript):
                buffer.container = code_of(annotation.value)
            found.append(buffer)
    return [b for b in found if not _holds_callables(b.element)]


LISTS = ("list", "List", "typing.List")
DEQUES = ("deque", "Deque", "collections.deque", "typing.Deque")
# Element types that are handlers, not data waiting to be written (issue 20, N2).
NOT_DATA = ("Callable", "Awaitable", "Coroutine", "Task", "Future", "Handle")


def _element(
    annotation: cst.BaseExpression | None, containers: Sequence[str]
) -> cst.BaseExpression | None:
    """``T`` of ``list[T]`` (or ``deque[T]``...) when ``annotation`` is one of
    ``containers``."""
    if not isinstance(annotation, cst.Subscript) or len(annotation.slice) != 1:
        return None
    if code_of(annotation.value) not in containers:
        return None
    index = annotation.slice[0].slice
    return index.value if isinstance(index, cst.Index) else None


def _empty_deque(value: cst.BaseExpression) -> cst.Call | None:
    """``deque()`` / ``collections.deque(maxlen=N)``: a new, empty deque."""
    if not isinstance(value, cst.Call) or code_of(value.func) not in DEQUES:
        return None
    if any(arg.keyword is None or arg.keyword.value != "maxlen" for arg in value.args):
        return None
    return value


def _maxlen(constructor: cst.Call) -> cst.BaseExpression | None:
    value = next((a.value for a in constructor.args), None)
    if isinstance(value, cst.Name) and value.value == "None":
        return None
    return value


def _holds_callables(element: cst.BaseExpression | None) -> bool:
    """Whether the element type names callbacks or tasks (``Callable[...]``...)."""
    if element is None:
        return False
    return any(
        isinstance(node, cst.Name)
        and (node.value in NOT_DATA or node.value.endswith("Callback"))
        for node, _ in walk(element, lambda n: isinstance(n, cst.Name))
    )


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
