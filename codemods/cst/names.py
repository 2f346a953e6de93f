"""Names spelled in a tree: dotted names, the identifiers a node reads or binds, the
bindings of a function's own scope (for choosing fresh names, and for what is in
scope at a line)."""

from __future__ import annotations

import libcst as cst

from codemods.cst.walk import visit

# A name a function's body binds, the node binding it, and the value of `name = value`.
Binding = tuple[str, cst.CSTNode, cst.BaseExpression | None]


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def names_used(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled inside ``node`` (for choosing fresh names)."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

    visit(node, _Collect())
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

    visit(node, _Collect())
    return found


def identifiers(node: cst.CSTNode) -> set[str]:
    """Names ``node`` reads or binds: :func:`names_used` without attribute names
    (``x.tg``) and keyword-argument names (``f(tg=...)``)."""
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            visit(attribute.value, self)
            return False

        def visit_Arg(self, arg: cst.Arg) -> bool:
            visit(arg.value, self)
            return False

    visit(node, _Collect())
    return found


def parameter_names(function: cst.FunctionDef) -> list[str]:
    params = function.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [
        s for s in (params.star_arg, params.star_kwarg) if isinstance(s, cst.Param)
    ]
    return [param.name.value for param in every]


def target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for item in target.elements for name in target_names(item.value)]
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
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
            (name, node, value if plain else None) for name in target_names(target)
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

    visit(function.body, _Collect())
    return found


class LocalBindings:
    """``local_bindings`` of each function of one tree, each walked once: the facts
    and every codemod of a file ask it of the same functions (held by the tree's
    wrapper, so it lives as long as the tree). The answer is shared: do not change it.
    """

    def __init__(self) -> None:
        # id of a function node -> the node (kept, so its id is not reused) and answer
        self._found: dict[int, tuple[cst.FunctionDef, list[Binding]]] = {}

    def __call__(self, function: cst.FunctionDef) -> list[Binding]:
        known = self._found.get(id(function))
        if known is not None and known[0] is function:
            return known[1]
        found = local_bindings(function)
        self._found[id(function)] = (function, found)
        return found
