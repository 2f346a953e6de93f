"""Recognising code by meaning: qualified names, spawn calls, TaskGroups in scope.

Shared by every codemod that needs them; a pattern used by two codemods lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import QualifiedName, QualifiedNameSource

# Gives the (absolute) qualified names of a node; codemods bind it to their metadata.
QualifiedNamesOf = Callable[[cst.CSTNode], set[str]]

TASKGROUP_NAMES = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})
SPAWN_FUNCTIONS = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    }
)
LOOP_GETTERS = frozenset(
    {
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.events.get_running_loop",
    }
)


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def absolute(name: str, module_name: str | None) -> str:
    """Resolve a relative qualified name (``.tracker.track_task``) against a module."""
    if not name.startswith(".") or module_name is None:
        return name
    level = len(name) - len(name.lstrip("."))
    package = module_name.split(".")[: -level or None]
    rest = name[level:]
    return ".".join([*package, rest]) if package else rest


def imported_names(names: Iterable[QualifiedName], module_name: str | None) -> set[str]:
    """Absolute qualified names that came from an import (not local definitions)."""
    return {
        absolute(q.name, module_name)
        for q in names
        if q.source is QualifiedNameSource.IMPORT
    }


def matches_configured(qualified: Collection[str], configured: Sequence[str]) -> bool:
    """Whether an imported name is one of the configured functions.

    A dotted entry must match exactly; a bare entry matches that name from any module.
    """
    for name in qualified:
        last = name.rsplit(".", 1)[-1]
        for wanted in configured:
            if name == wanted or ("." not in wanted and last == wanted):
                return True
    return False


def is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def taskgroup_annotation(
    annotation: cst.BaseExpression, resolve: QualifiedNamesOf
) -> str | None:
    """``"required"`` for ``TaskGroup``, "optional" for ``TaskGroup | None`` and the like."""
    if resolve(annotation) & TASKGROUP_NAMES:
        return "required"
    if isinstance(annotation, cst.BinaryOperation) and isinstance(
        annotation.operator, cst.BitOr
    ):
        sides = (annotation.left, annotation.right)
        if any(is_none(side) for side in sides) and any(
            resolve(side) & TASKGROUP_NAMES for side in sides
        ):
            return "optional"
    if isinstance(annotation, cst.Subscript) and resolve(annotation.value) & {
        "typing.Optional"
    }:
        elements = annotation.slice
        if len(elements) == 1 and isinstance(elements[0].slice, cst.Index):
            if resolve(elements[0].slice.value) & TASKGROUP_NAMES:
                return "optional"
    return None


@dataclass
class ClassScope:
    """A class being visited, and what codemods decided to add to it."""

    node: cst.ClassDef
    # Result types of the tasks its background-task keeper will hold.
    keeper_types: list[str] = field(default_factory=list)

    @property
    def init(self) -> cst.FunctionDef | None:
        for statement in self.node.body.body:
            if (
                isinstance(statement, cst.FunctionDef)
                and statement.name.value == "__init__"
            ):
                return statement
        return None


@dataclass
class Frame:
    """One function being visited: its TaskGroups and what it spawns."""

    function: cst.FunctionDef
    is_async: bool
    # The class it is a method of (not for static methods), if any.
    method_of: ClassScope | None = None
    # The `spawn` alias codemods chose for this function, and the group it picks from.
    alias: str | None = None
    alias_group: str | None = None
    # Parameter name -> "required" | "optional".
    taskgroup_params: dict[str, str] = field(default_factory=dict)
    # Targets of enclosing `async with asyncio.TaskGroup() as name:`, innermost last.
    taskgroup_blocks: list[str] = field(default_factory=list)

    def taskgroup(self) -> tuple[str, str] | None:
        """(name, "required"|"optional") of the TaskGroup to use here, if any."""
        if self.taskgroup_blocks:
            return self.taskgroup_blocks[-1], "required"
        for kind in ("required", "optional"):
            for name, found in self.taskgroup_params.items():
                if found == kind:
                    return name, kind
        return None


def frame_for(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, enclosing: ClassScope | None
) -> Frame:
    frame = Frame(function, is_async=function.asynchronous is not None)
    if enclosing is not None and _is_instance_method(function):
        frame.method_of = enclosing
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.annotation is None:
            continue
        kind = taskgroup_annotation(param.annotation.annotation, resolve)
        if kind is not None:
            frame.taskgroup_params[param.name.value] = kind
    return frame


def _is_instance_method(function: cst.FunctionDef) -> bool:
    params = function.params
    if not (params.posonly_params or params.params):
        return False
    return not any(
        isinstance(d.decorator, cst.Name)
        and d.decorator.value in ("staticmethod", "classmethod")
        for d in function.decorators
    )


def taskgroup_targets(node: cst.With, resolve: QualifiedNamesOf) -> list[str]:
    """Names bound by ``async with asyncio.TaskGroup() as name`` items of ``node``."""
    if node.asynchronous is None:
        return []
    names = []
    for item in node.items:
        call = item.item
        if (
            isinstance(call, cst.Call)
            and resolve(call.func) & TASKGROUP_NAMES
            and item.asname is not None
            and isinstance(item.asname.name, cst.Name)
        ):
            names.append(item.asname.name.value)
    return names


def names_used(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled inside ``node`` (for choosing fresh names)."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

    node.visit(_Collect())
    return found


def self_attributes(node: cst.CSTNode) -> set[str]:
    """Attributes read or assigned as ``self.<name>`` inside ``node``."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            if (
                isinstance(attribute.value, cst.Name)
                and attribute.value.value == "self"
            ):
                found.add(attribute.attr.value)

    node.visit(_Collect())
    return found


# -- Tasks thrown away (TG003), and the facts other codemods ask about them ------------

# What TaskGroup.create_task accepts besides the coroutine.
CREATE_TASK_KEYWORDS = frozenset({"name", "context"})
RUNNING_LOOP_GETTERS = frozenset(
    {"asyncio.get_running_loop", "asyncio.events.get_running_loop"}
)

Binding = tuple[str, cst.CSTNode, cst.BaseExpression | None]


def identifiers(node: cst.CSTNode) -> set[str]:
    """Names ``node`` reads or binds: :func:`names_used` without attribute names
    (``x.tg``) and keyword-argument names (``f(tg=...)``)."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            attribute.value.visit(self)
            return False

        def visit_Arg(self, arg: cst.Arg) -> bool:
            arg.value.visit(self)
            return False

    node.visit(_Collect())
    return found


def parameter_names(function: cst.FunctionDef) -> list[str]:
    params = function.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [
        s for s in (params.star_arg, params.star_kwarg) if isinstance(s, cst.Param)
    ]
    return [param.name.value for param in every]


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for item in target.elements for name in _target_names(item.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def local_bindings(function: cst.FunctionDef) -> list[Binding]:
    """What ``function``'s own body binds: (name, node, value of a ``name = value``).

    Nested functions and classes bind their name; their bodies are scopes of their own,
    and so are comprehensions.
    """
    found: list[Binding] = []

    def bind(
        target: cst.BaseExpression,
        node: cst.CSTNode,
        value: cst.BaseExpression | None = None,
    ) -> None:
        plain = isinstance(target, cst.Name)
        found.extend(
            (name, node, value if plain else None) for name in _target_names(target)
        )

    class _Collect(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            found.append((node.name.value, node, None))
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            found.append((node.name.value, node, None))
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                bind(target.target, node, node.value)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if node.value is not None:
                bind(node.target, node, node.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            bind(node.target, node)

        def visit_For(self, node: cst.For) -> None:
            bind(node.target, node)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.asname is not None:
                bind(node.asname.name, node)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            bind(node.target, node)

        def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
            if node.name is not None:
                bind(node.name.name, node)

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            bound = node.evaluated_alias or node.evaluated_name.split(".")[0]
            found.append((bound, node, None))

    function.body.visit(_Collect())
    return found


def running_loops(function: cst.FunctionDef, resolve: QualifiedNamesOf) -> set[str]:
    """Locals of ``function`` that only ever hold ``asyncio.get_running_loop()``."""
    loops: dict[str, bool] = {}
    for name, _, value in local_bindings(function):
        is_loop = isinstance(value, cst.Call) and bool(
            resolve(value.func) & RUNNING_LOOP_GETTERS
        )
        loops[name] = loops.get(name, True) and is_loop
    parameters = set(parameter_names(function))
    return {name for name, only in loops.items() if only and name not in parameters}


def spawn_kind(
    call: cst.Call, resolve: QualifiedNamesOf, loops: Collection[str] = ()
) -> str | None:
    """``"create_task"``, ``"ensure_future"`` or ``"loop"`` when ``call`` spawns a task.

    ``loops`` are names known to hold the running loop (:func:`running_loops`); a
    ``create_task`` method of anything else (``self``, a parameter) is not recognised.
    """
    spawners = resolve(call.func) & SPAWN_FUNCTIONS
    if spawners:
        return min(spawners).rsplit(".", 1)[-1]
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "create_task"):
        return None
    owner = func.value
    if isinstance(owner, cst.Name) and owner.value in loops:
        return "loop"
    if isinstance(owner, cst.Call) and resolve(owner.func) & RUNNING_LOOP_GETTERS:
        return "loop"
    return None


@dataclass(frozen=True)
class Dangling:
    """A spawn whose task its function throws away, and what TG003 does about it."""

    call: cst.Call
    # A TaskGroup certainly in scope there: the task is spawned into it in place.
    group: str | None = None
    # Why it cannot be fixed (completes a sentence starting "`asyncio.create_task()`").
    problem: str | None = None


class _DiscardedSpawns(cst.CSTVisitor):
    """Expression statements of one function body that spawn, with the innermost
    ``async with asyncio.TaskGroup() as g`` around each, and whether each is alone on
    its line."""

    def __init__(self, resolve: QualifiedNamesOf, loops: Collection[str]) -> None:
        super().__init__()
        self.names_of, self.loops = resolve, loops
        self.blocks: list[str] = []
        self.counts: list[int] = []
        self.found: list[tuple[cst.Call, str, str | None, bool]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_With(self, node: cst.With) -> None:
        targets = taskgroup_targets(node, self.names_of)
        self.blocks.extend(targets)
        self.counts.append(len(targets))

    def leave_With(self, original_node: cst.With) -> None:
        count = self.counts.pop()
        if count:
            del self.blocks[-count:]

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._take(node.body, alone=len(node.body) == 1)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._take(node.body, alone=False)

    def _take(
        self, statements: Sequence[cst.BaseSmallStatement], *, alone: bool
    ) -> None:
        for small in statements:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                kind = spawn_kind(small.value, self.names_of, self.loops)
                if kind is not None:
                    block = self.blocks[-1] if self.blocks else None
                    self.found.append((small.value, kind, block, alone))


def find_dangling(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> list[Dangling]:
    """Every spawn in ``function``'s own body whose task is thrown away (an expression
    statement), and what TG003 does about it; ``param``: the TaskGroup parameter."""
    kinds = frame_for(function, resolve, None).taskgroup_params
    required = next((name for name, kind in kinds.items() if kind == "required"), None)
    optional = next((name for name, kind in kinds.items() if kind == "optional"), None)
    walker = _DiscardedSpawns(resolve, running_loops(function, resolve))
    function.body.visit(walker)
    found = []
    for call, kind, block, alone in walker.found:
        group = block or required
        problem = _unsupported(call, kind)
        if problem is None and group is None:
            problem = _no_group(
                function, kind, alone=alone, optional=optional, param=param
            )
        found.append(Dangling(call, None if problem else group, problem))
    return found


def unsupported_spawn(call: cst.Call, kind: str) -> str | None:
    """Why a spawn of ``kind`` (:func:`spawn_kind`) cannot become
    ``TaskGroup.create_task`` as written (completes "``asyncio.create_task()`` ..."),
    or None when it can."""
    return _unsupported(call, kind)


def _unsupported(call: cst.Call, kind: str) -> str | None:
    positional = [arg for arg in call.args if arg.keyword is None]
    keywords = [
        arg.keyword.value
        for arg in call.args
        if arg.keyword is not None and arg.keyword.value not in CREATE_TASK_KEYWORDS
    ]
    if keywords or len(positional) != 1 or any(arg.star for arg in call.args):
        what = f"`{keywords[0]}=`" if keywords else "these arguments"
        return (
            f"passes {what}, which TaskGroup.create_task() does not accept: "
            "migrate it by hand"
        )
    if kind == "ensure_future" and not isinstance(positional[0].value, cst.Call):
        # ensure_future also takes Futures, which a TaskGroup cannot.
        return (
            "may be given a Future, which TaskGroup.create_task() does not accept: "
            "migrate it by hand"
        )
    return None


def _no_group(
    function: cst.FunctionDef,
    kind: str,
    *,
    alone: bool,
    optional: str | None,
    param: str,
) -> str | None:
    """Why a spawn with no TaskGroup certainly in scope cannot use an optional one."""
    name = function.name.value
    if name == "__init__":
        # Its fallback would need the keeper that __init__ itself declares last.
        return (
            "starts a task in `__init__`, which cannot own it: start it from an async "
            "method that takes a TaskGroup"
        )
    if function.asynchronous is None and optional is None and kind != "loop":
        return (
            f"runs in synchronous `{name}()`, with no TaskGroup or running loop at "
            f"hand: a person must decide who owns the task (make `{name}()` async, or "
            "give it a TaskGroup)"
        )
    if not alone:
        return "shares its line with other statements: put it on a line of its own"
    if optional is None and param in identifiers(function):
        return (
            f"needs a TaskGroup parameter, but `{param}` already means something else "
            f"in `{name}()`"
        )
    return None


def dangling_spawns(
    function: cst.FunctionDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> list[cst.Call]:
    """The thrown-away spawns TG003 sends through an optional TaskGroup in ``function``:
    its ``param`` (added when it has no optional TaskGroup parameter), else the
    class's ``self.<param>``, else a strongly referenced fallback. ``# noqa`` is not
    consulted."""
    return [
        entry.call
        for entry in find_dangling(function, resolve, param)
        if entry.group is None and entry.problem is None
    ]


def gains_taskgroup(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    param: str = "tg",
    suppressed: Callable[[cst.Call], bool] | None = None,
) -> bool:
    """Whether TG003 adds ``<param>: asyncio.TaskGroup | None = None`` to ``function``.

    ``suppressed`` tells which calls carry a ``# noqa`` for TG003, if the caller knows.
    """
    kinds = frame_for(function, resolve, None).taskgroup_params.values()
    calls = dangling_spawns(function, resolve, param)
    if suppressed is not None:
        calls = [call for call in calls if not suppressed(call)]
    return "optional" not in kinds and bool(calls)


def group_keeping(
    node: cst.ClassDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> tuple[bool, bool] | None:
    """How class ``node`` comes to keep a TaskGroup in ``self.<param>``: (``__init__``
    needs the parameter, it needs ``self.<param> = <param>``); None when it cannot
    (no ``__init__``, or ``<param>`` already means something else there)."""
    init = ClassScope(node).init
    if init is None:
        return None
    has_param = param in parameter_names(init)
    if has_param and param not in frame_for(init, resolve, None).taskgroup_params:
        return None
    if has_param and _stores(init, param):
        return (False, False)
    # Reading `self.<param>` is no other meaning (code expecting this very attribute);
    # assigning it, or a class attribute of that name, is.
    if param in _assigned_attributes(node) or param in _class_level_names(node):
        return None
    if not has_param and param in identifiers(init.body):
        return None
    return (not has_param, True)


def _assigned_attributes(node: cst.ClassDef) -> set[str]:
    """Attributes assigned as ``self.<name>`` anywhere in class ``node``."""
    found: set[str] = set()

    def take(target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                take(element.value)
        elif isinstance(target, cst.StarredElement):
            take(target.value)
        elif (name := dotted(target)) is not None and name.startswith("self."):
            found.add(name.removeprefix("self."))

    class _Collect(cst.CSTVisitor):
        def visit_AssignTarget(self, assign: cst.AssignTarget) -> None:
            take(assign.target)

        def visit_AnnAssign(self, assign: cst.AnnAssign) -> None:
            take(assign.target)

        def visit_AugAssign(self, assign: cst.AugAssign) -> None:
            take(assign.target)

    node.visit(_Collect())
    return found


def _class_level_names(node: cst.ClassDef) -> set[str]:
    """Names bound or annotated directly in the body of class ``node``."""
    found: set[str] = set()
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign):
                    for target in small.targets:
                        found.update(_target_names(target.target))
                elif isinstance(small, cst.AnnAssign):
                    found.update(_target_names(small.target))
    return found


def _stores(init: cst.FunctionDef, param: str) -> bool:
    """Whether ``__init__`` has a top-level ``self.<param> [: T] = <param>``."""
    statements = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                target, value = small.target, small.value
            else:
                continue
            if dotted(target) == f"self.{param}" and dotted(value) == param:
                return True
    return False


def constructor_gains_taskgroup(
    node: cst.ClassDef, resolve: QualifiedNamesOf, param: str = "tg"
) -> bool:
    """Whether TG003 adds ``<param>`` to class ``node``'s ``__init__`` (so that code
    constructing it inside a TaskGroup can pass one). ``# noqa`` is not consulted."""
    keeping = group_keeping(node, resolve, param)
    if keeping is None or not keeping[0]:
        return False
    methods = [
        statement
        for statement in node.body.body
        if isinstance(statement, cst.FunctionDef) and _is_instance_method(statement)
    ]
    return any(dangling_spawns(method, resolve, param) for method in methods)


def spawn_imports(module: cst.Module) -> list[tuple[str, str, str | None]]:
    """Top-level ``from asyncio import create_task [as x]`` and the like, as (module,
    name, alias)."""
    found = []
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and not isinstance(small.names, cst.ImportStar)
            ):
                source = dotted(small.module)
                for alias in small.names:
                    name = alias.evaluated_name
                    if source is not None and f"{source}.{name}" in SPAWN_FUNCTIONS:
                        found.append((source, name, alias.evaluated_alias))
    return found
