"""TG004: what ``__init__`` provides (the lock, the attributes the options read) and
the option expressions the generated code uses."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.find import is_self, walk
from codemods.cst.qualified import QualifiedNamesOf
from codemods.rules.bounded_buffer.spec import SPEC

LOCKS = frozenset({"asyncio.Lock", "asyncio.locks.Lock"})
DEFAULT_MAXLEN = next(o.default for o in SPEC.options if o.key == "maxlen")


def _statements_before(
    init: cst.FunctionDef, stop: cst.CSTNode | None
) -> list[cst.BaseStatement]:
    body = list(init.body.body) if isinstance(init.body, cst.IndentedBlock) else []
    for index, statement in enumerate(body):
        if statement is stop:
            return body[:index]
    return body


def assigned(init: cst.FunctionDef, stop: cst.CSTNode | None) -> set[str]:
    """``self.<x>`` attributes ``__init__`` assigns before its statement ``stop``."""
    found: set[str] = set()
    for statement in _statements_before(init, stop):
        for node, _ in walk(
            statement, lambda n: isinstance(n, (cst.AssignTarget, cst.AnnAssign))
        ):
            assert isinstance(node, (cst.AssignTarget, cst.AnnAssign))
            found.update(_self_targets(node.target))
    return found


def _self_targets(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for e in target.elements for name in _self_targets(e.value)]
    return (
        [target.attr.value]
        if isinstance(target, cst.Attribute) and is_self(target)
        else []
    )


def is_lock(
    init: cst.FunctionDef, lock: str, stop: cst.CSTNode, resolve: QualifiedNamesOf
) -> bool:
    """Whether ``__init__`` sets ``self.<lock> = asyncio.Lock()`` before ``stop``."""
    for statement in _statements_before(init, stop):
        if (
            not isinstance(statement, cst.SimpleStatementLine)
            or len(statement.body) != 1
        ):
            continue
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target, value = small.targets[0].target, small.value
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            target, value = small.target, small.value
        else:
            continue
        if is_self(target, lock) and isinstance(value, cst.Call) and not value.args:
            return bool(resolve(value.func) & LOCKS)
    return False


def _roots(expression: cst.BaseExpression) -> set[str]:
    """Attributes ``a`` of every ``self.a`` the expression reads."""
    return {
        node.attr.value  # type: ignore[attr-defined]
        for node, _ in walk(
            expression, lambda n: isinstance(n, cst.Attribute) and is_self(n)
        )
    }


WAITING_ONLY = ("wait-timeout", "flush-event", "wake-at")
OPTION_KEYS = {
    "maxlen": "maxlen",
    "wait-timeout": "wait_timeout",
    "warning-interval": "warning_interval",
    "flush-event": "flush_event",
    "wake-at": "wake_at",
}


def expressions(
    options: dict[str, str],
    init: cst.FunctionDef,
    before: set[str],
    problems: list[str],
    capacity: cst.BaseExpression | None = None,
    *,
    waiting: bool = True,
) -> dict[str, str | None]:
    """The option expressions to generate with (None: that part is left out). A
    ``capacity`` the buffer is declared with (``deque(maxlen=...)``) is its
    ``maxlen``: the option does not apply to it. Appends that cannot wait
    (``waiting`` false) use neither the timeout nor the flush event."""
    everything = assigned(init, None)
    chosen: dict[str, str | None] = {}
    for key, field_name in OPTION_KEYS.items():
        if key == "maxlen" and capacity is not None:
            chosen[field_name] = code_of(capacity)
            continue
        text = options[key].strip()
        if not waiting and key in WAITING_ONLY:
            chosen[field_name] = text if key == "wait-timeout" else None
            continue
        if not text and key in ("flush-event", "wake-at"):
            chosen[field_name] = None
            continue
        try:
            expression = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            problems.append(f"the `{key}` option, {text!r}, is not an expression")
            continue
        available = before if key == "maxlen" else everything
        missing = sorted(_roots(expression) - available)
        chosen[field_name] = code_of(expression)
        if not missing:
            continue
        if key == "flush-event":
            # No event to wake the flusher with: the append just waits for it.
            chosen[field_name] = None
        elif key == "maxlen" and text == DEFAULT_MAXLEN:
            # The default fits the bundled application, not this class: no hint.
            problems.append(
                "its capacity is unknown: set `maxlen` under [tool.codemods.TG004] "
                "to an expression `__init__` can evaluate before it"
            )
        elif key == "maxlen":
            problems.append(
                f"its capacity is unknown: `maxlen` ({text}) needs `self."
                f"{missing[0]}`, which `__init__` does not set before it; set "
                "`maxlen` under [tool.codemods.TG004]"
            )
        else:
            problems.append(
                f"`{key}` ({text}) needs `self.{missing[0]}`, which `__init__` "
                "does not set; set it under [tool.codemods.TG004]"
            )
    if chosen.get("flush_event") is None:
        chosen["wake_at"] = None
    return chosen


def class_names(node: cst.ClassDef) -> list[str]:
    """Names the body of class ``node`` binds (methods, nested classes, attributes)."""
    names = []
    for statement in node.body.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            names.append(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets: Sequence[cst.CSTNode] = ()
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign):
                    targets = [small.target]
                names += [t.value for t in targets if isinstance(t, cst.Name)]
    return names
