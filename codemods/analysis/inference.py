"""What an expression is, as a symbolic :class:`Ref` the index can resolve.

Only what the code states is used: annotations (``X``, ``X | None``, ``Optional[X]``,
quoted), constructor and factory calls, attributes and module-level instances. A local
variable has a type when every assignment to it agrees (``None`` aside); anything else,
and every receiver the code does not pin down, has none, so it is left alone.
"""

from __future__ import annotations

import libcst as cst

from codemods.analysis.facts import Ref
from codemods.analysis.names import ModuleNames
from codemods.transforms._matchers import dotted, is_none, local_bindings

OPTIONAL_NAMES = frozenset({"typing.Optional", "typing_extensions.Optional"})


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


class FunctionTypes:
    """The types of the names one function binds, and of expressions in its body.

    ``owner`` is the absolute name of the class ``function`` is an instance method of:
    its first parameter is an instance of it.
    """

    def __init__(
        self, function: cst.FunctionDef | None, names: ModuleNames, owner: str | None
    ) -> None:
        self.names = names
        self.params: dict[str, Ref | None] = {}
        # Each binding of a local: its annotated assignment, else the value assigned
        # (None for bindings without one: loops, `with ... as`, imports).
        self.bindings: dict[str, list[cst.AnnAssign | cst.BaseExpression | None]] = {}
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
            self.params[param.name.value] = ref
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.params[star.name.value] = None
        for name, node, value in local_bindings(function):
            if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
                self.bindings.setdefault(name, []).append(node)
            else:
                self.bindings.setdefault(name, []).append(value)

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

    def _agreed(
        self, values: list[cst.AnnAssign | cst.BaseExpression | None]
    ) -> Ref | None:
        """The one type every binding gives (an annotation wins), else None."""
        found: set[Ref | None] = set()
        for value in values:
            if isinstance(value, cst.AnnAssign):
                return annotation_ref(value.annotation.annotation, self.names)
            if isinstance(value, cst.BaseExpression) and is_none(value):
                continue
            found.add(None if value is None else self.of(value))
        return found.pop() if len(found) == 1 else None

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
