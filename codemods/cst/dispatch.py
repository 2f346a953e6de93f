"""Dispatch through a table per class, for the codemods: they walk every node.

LibCST finds ``visit_<Node>``/``leave_<Node>`` by formatting a name and calling
``getattr`` for each node, and calls ``visit_<Node>_<attribute>`` hooks the same way
for every attribute of every node; its codemod base class also checks matcher
decorators (``@m.visit``, ``@m.call_if_inside``) at each of those calls. This project
uses no matcher decorators, and a codemod walks every node of every candidate file, so
this mixin looks each handler up once per class and node type, and skips attribute
hooks altogether in classes that define none. (Not for helper visitors defined inside
a function: their class is created at each call, and so would their tables be.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

import libcst as cst

ATTRIBUTE_HOOK = re.compile(r"^(visit|leave)_[A-Z][A-Za-z]*_\w+$")
# What LibCST's matcher decorators set on the functions they decorate.
_MATCHER_MARKS = (
    "_call_if_inside_matcher",
    "_call_if_not_inside_matcher",
    "_visit_matcher",
    "_leave_matcher",
)

Handler = Callable[..., Any] | None


def _ours(cls: type) -> list[type]:
    """The classes of ``cls``'s MRO, but for LibCST's typed no-op stubs."""
    return [k for k in cls.__mro__ if k.__module__ != "libcst._typed_visitor"]


def defines_attribute_hooks(cls: type) -> bool:
    """Whether visitors of ``cls`` act on LibCST's attribute calls: a
    ``visit_<Node>_<attribute>`` hook, or an ``on_visit_attribute`` (or leave) of
    their own (``FastTransformer``'s only forwards to the hooks)."""
    if issubclass(cls, FastTransformer):
        return cls._attribute_hooks
    own = [k for k in cls.__mro__ if not k.__module__.startswith("libcst")]
    names = {name for klass in own for name in vars(klass)}
    return any(
        ATTRIBUTE_HOOK.match(name)
        or name in ("on_visit_attribute", "on_leave_attribute")
        for name in names
    )


class FastTransformer:
    """Table dispatch for the ``cst.CSTTransformer`` (or codemod) listed after it."""

    _visits: ClassVar[dict[type[cst.CSTNode], Handler]]
    _leaves: ClassVar[dict[type[cst.CSTNode], Handler]]
    _attribute_hooks: ClassVar[bool]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._visits, cls._leaves = {}, {}
        names = {name for klass in _ours(cls) for name in vars(klass)}
        cls._attribute_hooks = any(ATTRIBUTE_HOOK.match(name) for name in names)
        for name in names:
            value = getattr(cls, name, None)
            if any(hasattr(value, mark) for mark in _MATCHER_MARKS):
                raise TypeError(
                    f"{cls.__name__}.{name}: a matcher decorator, which this dispatch "
                    "does not honour"
                )

    @classmethod
    def _handler(cls, prefix: str, kind: type[cst.CSTNode]) -> Handler:
        table = cls._visits if prefix == "visit_" else cls._leaves
        if kind not in table:
            name = prefix + kind.__name__
            # LibCST's typed stubs for every node do nothing: not worth a call.
            owner = next((k for k in _ours(cls) if name in vars(k)), None)
            table[kind] = None if owner is None else getattr(cls, name)
        return table[kind]

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        visit = (
            self._visits[kind]
            if kind in self._visits
            else self._handler("visit_", kind)
        )
        return visit is None or visit(self, node) is not False

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        kind = type(original_node)
        leave = (
            self._leaves[kind]
            if kind in self._leaves
            else self._handler("leave_", kind)
        )
        return (
            updated_node if leave is None else leave(self, original_node, updated_node)
        )

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if self._attribute_hooks:
            cst.CSTTransformer.on_visit_attribute(self, node, attribute)  # type: ignore[arg-type]

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if self._attribute_hooks:
            cst.CSTTransformer.on_leave_attribute(self, original_node, attribute)  # type: ignore[arg-type]
