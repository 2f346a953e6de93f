"""What an expression is, as a symbolic :class:`Ref` the index can resolve.

Only what the code states is used: annotations (``X``, ``X | None``, ``Optional[X]``,
quoted), constructor and factory calls, attributes, module-level instances, and the
elements a ``for`` takes from an annotated container (``list[X]``, ``Sequence[X]``).
A local variable has a type when every assignment to it agrees (``None`` aside);
anything else, and every receiver the code does not pin down, has none, so it is left
alone.
"""

from __future__ import annotations

import libcst as cst

from codemods.analysis.facts import Ref
from codemods.cst.module_names import ModuleNames
from codemods.cst.names import LocalBindings, dotted, is_none, local_bindings

OPTIONAL_NAMES = frozenset({"typing.Optional", "typing_extensions.Optional"})
# Containers whose iteration yields their one type argument (``tuple`` only as
# ``tuple[X, ...]``); spelled bare, the builtins, else their absolute names.
BUILTIN_CONTAINERS = frozenset({"list", "set", "frozenset", "tuple"})
CONTAINERS = frozenset(
    f"{module}.{name}"
    for module, names in (
        ("collections.abc", ("Collection", "Iterable", "Iterator", "Sequence")),
        ("collections.abc", ("MutableSequence", "MutableSet", "Set")),
        ("typing", ("Collection", "Iterable", "Iterator", "Sequence", "List")),
        ("typing", ("MutableSequence", "MutableSet", "AbstractSet", "Set")),
        ("typing", ("FrozenSet", "Tuple", "Deque")),
        ("collections", ("deque",)),
    )
    for name in names
)
Binding = cst.AnnAssign | cst.For | cst.BaseExpression | None
Bindings = dict[str, list[Binding]]


def annotation_ref(annotation: cst.BaseExpression, names: ModuleNames) -> Ref | None:
    """The class an annotation promises an instance of, ``None`` aside."""
    if isinstance(annotation, cst.SimpleString):
        try:
            parsed = cst.parse_expression(str(annotation.evaluated_value))
        except (cst.ParserSyntaxError, TypeError):
            return None
        return annotation_ref(parsed, names)
    if isinstance(annotation, cst.BinaryOperation) and isinstance(
        annotation.operator, cst.BitOr
    ):
        sides = [annotation.left, annotation.right]
        rest = [side for side in sides if not is_none(side)]
        return annotation_ref(rest[0], names) if len(rest) == 1 else None
    if isinstance(annotation, cst.Subscript):
        spelled = dotted(annotation.value)
        target = None if spelled is None else names.absolute(spelled)
        elements = annotation.slice
        if target in OPTIONAL_NAMES and len(elements) == 1:
            inner = elements[0].slice
            if isinstance(inner, cst.Index):
                return annotation_ref(inner.value, names)
        return None
    spelled = dotted(annotation)
    target = None if spelled is None else names.absolute(spelled)
    return None if target is None else Ref.instance(target)


def element_ref(annotation: cst.BaseExpression, names: ModuleNames) -> Ref | None:
    """The class of what iterating over an annotated container gives
    (``list[X]``, ``Sequence[X]``, ``tuple[X, ...]``, ``X`` quoted or optional)."""
    if isinstance(annotation, cst.SimpleString):
        try:
            parsed = cst.parse_expression(str(annotation.evaluated_value))
        except (cst.ParserSyntaxError, TypeError):
            return None
        return element_ref(parsed, names)
    if not isinstance(annotation, cst.Subscript):
        return None
    spelled = dotted(annotation.value)
    if spelled is None:
        return None
    target = names.absolute(spelled)
    if target is None and spelled not in BUILTIN_CONTAINERS:
        return None
    if target is not None and target not in CONTAINERS:
        return None
    elements = [
        element.slice.value
        for element in annotation.slice
        if isinstance(element.slice, cst.Index)
    ]
    if len(elements) == 2 and isinstance(elements[1], cst.Ellipsis):
        if spelled != "tuple" and target != "typing.Tuple":
            return None
        elements = elements[:1]
    elif len(elements) != 1 or spelled == "tuple" or target == "typing.Tuple":
        return None
    return annotation_ref(elements[0], names)


class FunctionTypes:
    """The types of the names one function binds, and of expressions in its body.

    ``owner`` is the absolute name of the class ``function`` is an instance method of:
    its first parameter is an instance of it. ``local``: the tree's shared
    ``local_bindings`` (else each object walks the body itself).
    """

    def __init__(
        self,
        function: cst.FunctionDef | None,
        names: ModuleNames,
        owner: str | None,
        local: LocalBindings | None = None,
    ) -> None:
        self.names = names
        self.function = function
        self.local = local
        self.params: dict[str, Ref | None] = {}
        self.annotations: dict[str, cst.BaseExpression] = {}
        self._bindings: Bindings | None = None
        self._resolving: set[str] = set()
        self._cache: dict[str, Ref | None] = {}
        if function is None:
            return
        params = function.params
        ordered = [*params.posonly_params, *params.params]
        for index, param in enumerate([*ordered, *params.kwonly_params]):
            annotation = param.annotation
            ref = (
                None
                if annotation is None
                else annotation_ref(annotation.annotation, names)
            )
            if index == 0 and owner is not None and ordered:
                ref = Ref.instance(owner)
            elif annotation is not None:
                self.annotations[param.name.value] = annotation.annotation
            self.params[param.name.value] = ref
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.params[star.name.value] = None

    @property
    def bindings(self) -> Bindings:
        """Each binding of a local: its annotated assignment, else the value assigned
        (None for bindings without one: loops, `with ... as`, imports). Walking the
        body costs, so only a question about a name does it."""
        if self._bindings is None:
            self._bindings = {}
            function, local = self.function, self.local
            if function is None:
                found = []
            else:
                found = local_bindings(function) if local is None else local(function)
            for name, node, value in found:
                if isinstance(node, cst.AnnAssign) and isinstance(
                    node.target, cst.Name
                ):
                    self._bindings.setdefault(name, []).append(node)
                elif isinstance(node, cst.For) and isinstance(node.target, cst.Name):
                    self._bindings.setdefault(name, []).append(node)
                else:
                    self._bindings.setdefault(name, []).append(value)
        return self._bindings

    def is_local(self, name: str) -> bool:
        return name in self.params or name in self.bindings

    def name_ref(self, name: str) -> Ref | None:
        if name in self.params:
            return self.params[name]
        if name not in self.bindings:
            target = self.names.absolute(name)
            return None if target is None else Ref.value(target)
        if name in self._cache:
            return self._cache[name]
        if name in self._resolving:
            return None
        self._resolving.add(name)
        ref = self._agreed(self.bindings[name])
        self._resolving.discard(name)
        self._cache[name] = ref
        return ref

    def _agreed(self, values: list[Binding]) -> Ref | None:
        """The one type every binding gives (an annotation wins), else None."""
        found: set[Ref | None] = set()
        for value in values:
            if isinstance(value, cst.AnnAssign):
                return annotation_ref(value.annotation.annotation, self.names)
            if isinstance(value, cst.For):
                found.add(self._element(value.iter))
                continue
            if isinstance(value, cst.BaseExpression) and is_none(value):
                continue
            found.add(None if value is None else self.of(value))
        return found.pop() if len(found) == 1 else None

    def _element(self, iterated: cst.BaseExpression) -> Ref | None:
        """What a ``for`` over ``iterated`` binds: an element of an annotated
        parameter or local container, else None."""
        if not isinstance(iterated, cst.Name):
            return None
        name = iterated.value
        annotation = self.annotations.get(name)
        if annotation is None and name not in self.params:
            annotated = [
                value.annotation.annotation
                for value in self.bindings.get(name, [])
                if isinstance(value, cst.AnnAssign)
            ]
            annotation = annotated[0] if annotated else None
        return None if annotation is None else element_ref(annotation, self.names)

    def of(self, expression: cst.BaseExpression) -> Ref | None:
        """The symbolic type of ``expression``, or None when the code does not say."""
        if isinstance(expression, cst.Await):
            return self.of(expression.expression)
        if isinstance(expression, cst.Name):
            return self.name_ref(expression.value)
        if isinstance(expression, cst.Attribute):
            spelled = dotted(expression)
            head = None if spelled is None else spelled.split(".")[0]
            if spelled is not None and head is not None and not self.is_local(head):
                target = self.names.absolute(spelled)
                return None if target is None else Ref.value(target)
            base = self.of(expression.value)
            return None if base is None else Ref.attribute(base, expression.attr.value)
        if isinstance(expression, cst.Call):
            return self._call(expression.func)
        return None

    def _call(self, func: cst.BaseExpression) -> Ref | None:
        spelled = dotted(func)
        head = None if spelled is None else spelled.split(".")[0]
        if spelled is not None and head is not None and not self.is_local(head):
            target = self.names.absolute(spelled)
            return None if target is None else Ref.call(target)
        if isinstance(func, cst.Attribute):
            base = self.of(func.value)
            return None if base is None else Ref.method(base, func.attr.value)
        return None
