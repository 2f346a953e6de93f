"""``visit(node, visitor)``: what ``node.visit(visitor)`` does, without rebuilding.

LibCST's visit rebuilds every node it passes (``_visit_and_replace_children``
constructs and validates a new frozen dataclass), even for a read-only
``CSTVisitor``: about five times the cost of walking the same nodes. This walk
calls ``on_visit``/``on_leave`` on exactly the nodes LibCST's visit passes, in the
same order, and builds a node only where a child's result differs from the child:

- The children of a node, in LibCST's order: the fields its
  ``_visit_and_replace_children`` visits, recorded once per class by running it with
  a transformer that visits no deeper and notes each field name. A class may visit a
  field only when it is there (``FormattedStringExpression.format_spec``), so the
  order recorded on one instance can lack a field of another: a node that holds
  nodes in a field its class's recording lacked gets an order recorded for that
  class and those fields.
- A visitor (``cst.CSTVisitor``): ``on_visit(node)``; if true, its children; then
  ``on_leave(node)``. The result is ``node``.
- A transformer: ``on_visit(node)``; if true, its children; the node itself when no
  child's result is a different object (LibCST would give an equal copy), else
  LibCST's own ``_visit_and_replace_children`` run with a transformer that replays
  the children's results, so removal, ``FlattenSentinel``, ``MaybeSentinel`` and
  optional fields behave exactly as in LibCST; then ``on_leave(node, updated)``. A
  ``Module`` whose ``on_leave`` removes it becomes an empty module, as in LibCST.
- A visitor keeping LibCST's ``on_visit``/``on_leave`` (which look ``visit_<Node>``
  and ``leave_<Node>`` up by name at each node) has them looked up once per node type
  in each walk instead (on its class; LibCST's no-op stubs skipped), as
  ``dispatch.FastTransformer`` does for the codemods.
- Attribute hooks (``visit_<Node>_<attribute>``, or an ``on_visit_attribute`` of the
  visitor's own): this walk does not call them, so a visitor that defines any is
  run by LibCST's ``node.visit(visitor)`` instead (none of ours does).

LibCST's metadata providers run over this walk too (``cst/metadata_walk.py``).

The visitor sees the original nodes, so metadata resolved on them
(``get_metadata``) answers as under LibCST's visit. One difference where LibCST
raises: a child's result its parent cannot take (a required field removed) raises
once the parent's children are all visited, where LibCST raises at that child.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, ForwardRef, Literal, TypeVar, get_args, get_origin, overload
from weakref import WeakKeyDictionary

import libcst as cst

from codemods.cst.dispatch import defines_attribute_hooks

Node = TypeVar("Node", bound=cst.CSTNode)
_Result = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]

# The fields LibCST visits in a node: ``attrgetter`` of them (a value for one field,
# a tuple for more) and their number.
_Fields = tuple[Callable[[cst.CSTNode], Any], int]
# Per class: its fields, and the fields it did not visit on the instance recorded
# that can hold nodes (see ``_values``).
_ORDERS: dict[
    type[cst.CSTNode], tuple[Callable[[cst.CSTNode], Any], int, tuple[str, ...]]
] = {}
# Per class and fields missing from the class's recording but present in a node.
_VARIANTS: dict[tuple[type[cst.CSTNode], tuple[str, ...]], _Fields] = {}
# Per visitor class (weakly: helper visitors are classes made at each call).
_HOOKS: WeakKeyDictionary[type, bool] = WeakKeyDictionary()


@overload
def visit(
    node: cst.Module,
    visitor: cst.CSTVisitor | cst.CSTTransformer,
    entering: Callable[[cst.CSTNode], None] | None = None,
) -> cst.Module: ...


@overload
def visit(
    node: Node,
    visitor: cst.CSTVisitor | cst.CSTTransformer,
    entering: Callable[[cst.CSTNode], None] | None = None,
) -> Node | cst.RemovalSentinel | cst.FlattenSentinel[Node]: ...


def visit(
    node: cst.CSTNode,
    visitor: cst.CSTVisitor | cst.CSTTransformer,
    entering: Callable[[cst.CSTNode], None] | None = None,
) -> _Result:
    """What ``node.visit(visitor)`` returns and calls (see the module's doc); for a
    transformer, ``entering`` (if given) is called with each child of ``node`` before
    the walk enters it (a codemod's positions: the top-level statement it is in)."""
    kind = type(visitor)
    hooks = _HOOKS.get(kind)
    if hooks is None:
        hooks = _HOOKS[kind] = defines_attribute_hooks(kind)
    if hooks:
        return node.visit(visitor)
    by_name = _ByName(visitor) if _dispatches_by_name(kind) else None
    if isinstance(visitor, cst.CSTVisitor):
        _look(node, visitor if by_name is None else by_name)
        return node
    result = _transform(node, visitor if by_name is None else by_name, entering)
    if isinstance(node, cst.Module) and isinstance(result, cst.RemovalSentinel):
        return node.with_changes(body=(), header=(), footer=())
    return result


def _dispatches_by_name(kind: type[Any]) -> bool:
    """Whether ``kind`` keeps LibCST's ``on_visit``/``on_leave``, which find
    ``visit_<Node>``/``leave_<Node>`` by name at each node."""
    base = cst.CSTVisitor if issubclass(kind, cst.CSTVisitor) else cst.CSTTransformer
    return bool(kind.on_visit is base.on_visit and kind.on_leave is base.on_leave)


class _ByName:
    """LibCST's ``on_visit``/``on_leave`` of one visitor, each handler looked up once
    per node type in this walk (LibCST's typed no-op stubs skipped)."""

    def __init__(self, visitor: cst.CSTVisitor | cst.CSTTransformer) -> None:
        self.visitor = visitor
        self.visits: dict[type, Callable[..., Any] | None] = {}
        self.leaves: dict[type, Callable[..., Any] | None] = {}

    def _handler(self, prefix: str, kind: type) -> Callable[..., Any] | None:
        name = prefix + kind.__name__
        function = getattr(type(self.visitor), name, None)
        if getattr(function, "__module__", None) == "libcst._typed_visitor":
            return None
        return getattr(self.visitor, name, None)

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind in self.visits:
            visit = self.visits[kind]
        else:
            visit = self.visits[kind] = self._handler("visit_", kind)
        return visit is None or visit(node) is not False

    def on_leave(self, original_node: cst.CSTNode, *updated: cst.CSTNode) -> Any:
        kind = type(original_node)
        if kind in self.leaves:
            leave = self.leaves[kind]
        else:
            leave = self.leaves[kind] = self._handler("leave_", kind)
        if leave is None:
            return updated[0] if updated else None
        return leave(original_node, *updated)


def _look(node: cst.CSTNode, visitor: cst.CSTVisitor | _ByName) -> None:
    if visitor.on_visit(node):
        for child in children(node):
            _look(child, visitor)
    visitor.on_leave(node)


def _transform(
    node: cst.CSTNode,
    visitor: cst.CSTTransformer | _ByName,
    entering: Callable[[cst.CSTNode], None] | None = None,
) -> _Result:
    updated = node
    if visitor.on_visit(node):
        changes: dict[int, _Result] | None = None
        kids = children(node)
        for index, child in enumerate(kids):
            if entering is not None:
                entering(child)
            result = _transform(child, visitor)
            if result is not child:
                if changes is None:
                    changes = {}
                changes[index] = result
        if changes is not None:
            updated = node._visit_and_replace_children(_Replay(kids, changes))
    result = visitor.on_leave(node, updated)
    if not isinstance(result, (cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel)):
        raise cst.CSTValidationError(  # LibCST's check and message
            "Expected a node of type CSTNode or a RemovalSentinel, "
            + f"but got a return value of {type(result).__name__}"
        )
    return result


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes LibCST's visit passes right under ``node``, in its order."""
    known = _ORDERS.get(type(node))
    if known is None or known[2]:
        values = _values(node)
    else:
        get, count, _ = known
        if count == 0:
            return []
        values = (get(node),) if count == 1 else get(node)
    found: list[cst.CSTNode] = []
    for value in values:
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (tuple, list)):
            found.extend(value)
        elif value is not None and not isinstance(value, cst.MaybeSentinel):
            found.extend(value)  # another sequence
    return found


def _values(node: cst.CSTNode) -> tuple[Any, ...]:
    """The values of the fields LibCST visits in ``node``, in its order."""
    kind = type(node)
    known = _ORDERS.get(kind)
    if known is None:
        order = _record(node)
        unvisited = tuple(
            f.name
            for f in dataclasses.fields(kind)
            if f.name not in order and _may_hold_nodes(f.type)
        )
        known = _ORDERS[kind] = (*_fields(order), unvisited)
    get, count, unvisited = known
    present = tuple(name for name in unvisited if _holds_nodes(getattr(node, name)))
    if present:
        variant = _VARIANTS.get((kind, present))
        if variant is None:
            order = _record(node)
            variant = _VARIANTS[kind, present] = _fields(order)
        get, count = variant
    if count == 0:
        return ()
    return (get(node),) if count == 1 else get(node)


def _fields(order: tuple[str, ...]) -> _Fields:
    get: Callable[[cst.CSTNode], Any] = attrgetter(*order) if order else repr
    return get, len(order)  # (``repr``: never called, as there is no field)


def _may_hold_nodes(annotation: object) -> bool:
    """Whether a field so annotated can hold a node (a name LibCST left as text: it
    may)."""
    if isinstance(annotation, type):
        return issubclass(annotation, cst.CSTNode)
    if get_origin(annotation) is Literal:
        return False
    if isinstance(annotation, (str, ForwardRef)):
        return True
    return any(_may_hold_nodes(argument) for argument in get_args(annotation))


def _holds_nodes(value: object) -> bool:
    if isinstance(value, cst.CSTNode):
        return True
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and any(isinstance(item, cst.CSTNode) for item in value)
    )


def _record(node: cst.CSTNode) -> tuple[str, ...]:
    recorder = _Recorder()
    node._visit_and_replace_children(recorder)
    return tuple(recorder.fields)


class _Recorder(cst.CSTTransformer):
    """Notes the fields LibCST visits under one node, going no deeper."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        return updated_node

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass


class _Replay(cst.CSTTransformer):
    """Gives LibCST's rebuild of one node the results its children had in the walk."""

    def __init__(self, kids: list[cst.CSTNode], changes: dict[int, _Result]) -> None:
        super().__init__()
        self.kids, self.changes, self.next = kids, changes, 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        index = self.next
        self.next += 1
        if self.kids[index] is not original_node:
            raise RuntimeError(
                f"walk: the children of a {type(original_node).__name__}'s parent "
                "came in another order than LibCST's"
            )
        return self.changes.get(index, original_node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        pass


def walker(visitor: cst.CSTVisitor) -> Callable[[cst.CSTNode], None]:
    """``visit(node, visitor)`` for many nodes with one visitor: its handlers found by
    name (if it finds them so) once per node type across all of them."""
    target = _ByName(visitor) if _dispatches_by_name(type(visitor)) else visitor

    def walk(node: cst.CSTNode) -> None:
        _look(node, target)

    return walk
