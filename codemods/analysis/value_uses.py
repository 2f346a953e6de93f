"""Where a module takes a function or method as a value, collected with its facts.

``Depends(get_rate_limiter)``, ``bus.subscribe("topic", self.on_event)``,
``loop.call_soon(f)``, ``functools.partial(f, 1)``, ``handlers = [f, g]``,
``return f``, ``callback = obj.method``: whoever receives the function calls it with
the arguments it chooses, so a codemod that adds a parameter (TG003's ``tg``) must not
change its signature. The index answers which functions are so used
(``ProjectIndex.taken_as_value``), across modules.

Read from the module's ``ast`` (a walk of LibCST's tree costs far more): names are made
absolute through the module's top-level bindings (``ModuleNames``), ``self.<name>`` in a
method of a top-level class is that class's attribute, and any other receiver is left
untyped (every method of that name may be the one taken).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import replace

from codemods.analysis.facts import Ref, ValueUse
from codemods.analysis.syntax import dotted
from codemods.cst.fastapi import DEPENDS
from codemods.cst.module_names import ModuleNames

_BUILTINS = frozenset(dir(builtins))
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _locals(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names ``function`` binds: its parameters and whatever its body assigns."""
    found = {argument.arg for argument in _parameters(function.args)}
    for node in ast.walk(function):
        if node is function:
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            found.add(node.name)
    return found


def _parameters(arguments: ast.arguments) -> list[ast.arg]:
    return [
        *arguments.posonlyargs,
        *arguments.args,
        *arguments.kwonlyargs,
        *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
    ]


class _Scope:
    """The function being walked: what it binds, and its receiver if a method (or
    the method it is nested in)."""

    def __init__(
        self, bound: set[str], receiver: str | None, owner: str | None
    ) -> None:
        self.bound, self.receiver, self.owner = bound, receiver, owner


class _Values(ast.NodeVisitor):
    def __init__(self, names: ModuleNames, module_name: str) -> None:
        self.names, self.module_name = names, module_name
        self.scopes: list[_Scope] = [_Scope(set(), None, None)]
        self.classes: list[str] = []
        self.found: list[ValueUse] = []

    # -- scopes -----------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._walk_decorated(node)
        self.classes.append(node.name)
        for statement in node.body:
            self.visit(statement)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._walk_decorated(node)
        arguments = node.args
        # Evaluated where `def` runs: `= Depends(f)`, `Annotated[T, Depends(f)]`.
        outside = [
            *arguments.defaults,
            *arguments.kw_defaults,
            *(argument.annotation for argument in _parameters(arguments)),
            node.returns,
        ]
        for expression in outside:
            if expression is not None:
                self.visit(expression)
        # A method of a top-level class: its first parameter is the instance.
        directly_in_class = len(self.classes) == 1 and len(self.scopes) == 1
        first = [*arguments.posonlyargs, *arguments.args][:1]
        owner = f"{self.module_name}.{self.classes[0]}" if directly_in_class else None
        receiver = first[0].arg if owner is not None and first else None
        outer = self.scopes[-1]
        if owner is None:  # a nested function still sees the method's receiver
            receiver, owner = outer.receiver, outer.owner
        self.scopes.append(_Scope(_locals(node) | outer.bound, receiver, owner))
        for statement in node.body:
            self.visit(statement)
        self.scopes.pop()

    def _walk_decorated(
        self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    ) -> None:
        # A bare decorator receives the function it decorates (``decorated`` facts say
        # so); a decorator call's arguments are values like any other.
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call):
                self.visit(decorator)
        if isinstance(node, ast.ClassDef):
            for base in (*node.bases, *(k.value for k in node.keywords)):
                self.visit(base)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        outer = self.scopes[-1]
        bound = {a.arg for a in (*node.args.posonlyargs, *node.args.args)}
        self.scopes.append(_Scope(outer.bound | bound, outer.receiver, outer.owner))
        self.visit(node.body)
        self.scopes.pop()

    # -- value positions --------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        builtin = (
            isinstance(func, ast.Name)
            and func.id in _BUILTINS
            and self._global(func.id) is None
        )
        if not builtin:  # `len(x)`, `list(x)`: nothing of ours calls what they get
            spelled = dotted(func)
            how = f"passed to `{spelled or 'a call'}()`"
            # Spelled `Depends`: TG005 looks for the word in the files it repoints.
            depends = (
                spelled is not None
                and spelled.rpartition(".")[2] == "Depends"
                and self.names.absolute(spelled) in DEPENDS
            )
            for number, argument in enumerate(
                (*node.args, *(k.value for k in node.keywords))
            ):
                # `Depends(f)` alone: not `Depends(*fs)` nor `Depends(f, use_cache=...)`.
                dependency = depends and len(node.args) == 1 and not node.keywords
                if isinstance(argument, ast.Starred):
                    argument, dependency = argument.value, False
                dependency = dependency and number == 0
                self._take(argument, how, dependency=dependency)
        self.generic_visit(node)

    def _valued(self, node: ast.Return | ast.Assign | ast.AnnAssign) -> None:
        """``return f``, ``x = f``, ``x: T = f``."""
        if node.value is not None:
            how = "returned" if isinstance(node, ast.Return) else "assigned"
            self._take(node.value, how)
        self.generic_visit(node)

    visit_Return = visit_Assign = visit_AnnAssign = _valued

    def visit_List(self, node: ast.List) -> None:
        self._elements(node.elts)

    def visit_Tuple(self, node: ast.Tuple) -> None:
        self._elements(node.elts)

    def visit_Set(self, node: ast.Set) -> None:
        self._elements(node.elts)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        """``app.dependency_overrides[f] = fake``: FastAPI finds the override by ``f``
        itself, so ``Depends(f)`` must keep naming it."""
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr == "dependency_overrides":
            self._take(node.slice, "a key of `dependency_overrides`")
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for value in node.values:
            self._take(value, "stored in a container")
        self.generic_visit(node)

    def _elements(self, elements: list[ast.expr]) -> None:
        for element in elements:
            self._take(element, "stored in a container")
            self.visit(element)

    # -- recording --------------------------------------------------------------------

    def _global(self, name: str) -> str | None:
        """The absolute name a name not bound in the function stands for."""
        if name in self.scopes[-1].bound:
            return None
        return self.names.absolute(name)

    def _take(self, node: ast.expr, how: str, *, dependency: bool = False) -> None:
        alternatives = list(_alternatives(node))
        # Only `Depends(f)` itself can be repointed, not `Depends(f if c else g)`.
        dependency = dependency and alternatives == [node]
        for taken in alternatives:
            use = self._use(taken, how)
            if use is not None:
                self.found.append(replace(use, dependency=dependency))

    def _use(self, node: ast.expr, how: str) -> ValueUse | None:
        scope = self.scopes[-1]
        if not isinstance(getattr(node, "ctx", None), ast.Load):
            return None  # an assignment's target, not a value
        if isinstance(node, ast.Name):
            target = self._global(node.id)
            if target is None:
                return None
            return ValueUse(node.id, node.lineno, Ref.value(target), how)
        if not isinstance(node, ast.Attribute):
            return None
        base = node.value
        if isinstance(base, ast.Name) and base.id == scope.receiver:
            assert scope.owner is not None
            taken = Ref.attribute(Ref.instance(scope.owner), node.attr)
            return ValueUse(node.attr, node.lineno, taken, how)
        spelled = dotted(node)
        head = None if spelled is None else spelled.partition(".")[0]
        if spelled is not None and head is not None and self._global(head):
            target = self.names.absolute(spelled)
            ref = None if target is None else Ref.value(target)
            return ValueUse(node.attr, node.lineno, ref, how)
        return ValueUse(node.attr, node.lineno, None, how)


def _alternatives(node: ast.expr) -> Iterator[ast.expr]:
    """What an expression may evaluate to: both sides of ``a if c else b``,
    ``a or b``."""
    if isinstance(node, ast.IfExp):
        yield from _alternatives(node.body)
        yield from _alternatives(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _alternatives(value)
    else:
        yield node


def value_uses(
    tree: ast.Module | None, names: ModuleNames, module_name: str
) -> tuple[ValueUse, ...]:
    """Every function or method the module of ``tree`` takes as a value (see the
    module's doc); none when ``ast`` could not parse it."""
    if tree is None:
        return ()
    visitor = _Values(names, module_name)
    visitor.visit(tree)
    return tuple(visitor.found)
