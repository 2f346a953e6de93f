"""A base for codemods that consult the project index (TG002, TG005).

It provides the index (the engine's, or one built from this module alone when run by
``python -m libcst.tool codemod``), the module's top-level names, the symbolic type of
an expression in the function being visited, and whether code runs in a lambda or a
generator expression (which cannot ``await``).
"""

from __future__ import annotations

from abc import ABC

import libcst as cst

from codemods.analysis.collect import collect_facts
from codemods.analysis.facts import Ref
from codemods.analysis.index import ProjectIndex
from codemods.analysis.inference import FunctionTypes
from codemods.cst.module_names import ModuleNames
from codemods.cst.qualified import tree_bindings
from codemods.cst.scopes import ClassScope
from codemods.rules import registry
from codemods.rules.codemod import Codemod, CodemodContext, Environment
from codemods.rules.scope_tracking import ScopeTracking


def local_index(codemod: Codemod, module_name: str) -> ProjectIndex:
    """The index of ``codemod``'s module alone (run by ``python -m libcst.tool
    codemod``, or in a run that builds no index)."""
    scope = registry.index_scope(codemod.settings)
    wrapper = codemod.context.wrapper
    if wrapper is None:
        return ProjectIndex(scope=scope)
    facts = collect_facts(
        wrapper,
        module_name=module_name,
        settings=codemod.settings,
        gains=registry.gain_hooks(codemod.settings),
    )
    return ProjectIndex.build([facts], scope)


class IndexedCodemod(ScopeTracking, ABC):  # ABC: a base (see ``Codemod``)
    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.index = ProjectIndex()
        self.names: ModuleNames | None = None
        self._types: dict[cst.FunctionDef | None, FunctionTypes] = {}
        # Lambdas and generator expressions being visited: code there cannot await.
        self.deferring: list[str] = []

    @property
    def module_qualifier(self) -> str:
        return self.module_name or "__main__"

    def visit_Module(self, node: cst.Module) -> None:
        filename = self.context.filename or ""
        is_package = filename.endswith("__init__.py")
        self.names = ModuleNames(node, self.module_qualifier, is_package)
        self.index = self.env.index or local_index(self, self.module_qualifier)

    def owner(self) -> str | None:
        """The absolute name of the top-level class whose method is being visited."""
        frame = self.frame
        scope = None if frame is None else frame.method_of
        if scope is None or not self.scopes or self.scopes[0] is not scope:
            return None
        return f"{self.module_qualifier}.{scope.node.name.value}"

    def class_name(self) -> str | None:
        """The absolute name of the top-level class being visited directly."""
        top = self.scopes[-1] if self.scopes else None
        if not isinstance(top, ClassScope) or len(self.scopes) != 1:
            return None
        return f"{self.module_qualifier}.{top.node.name.value}"

    def type_of(self, expression: cst.BaseExpression) -> Ref | None:
        """The symbolic type of ``expression`` where it is being visited."""
        frame = self.frame
        function = None if frame is None else frame.function
        if function not in self._types:
            assert self.names is not None
            wrapper = self.context.wrapper
            local = None if wrapper is None else tree_bindings(wrapper)
            self._types[function] = FunctionTypes(
                function, self.names, self.owner(), local
            )
        return self._types[function].of(expression)

    @property
    def deferred(self) -> bool:
        """Whether the code being visited runs later, in a lambda or generator."""
        return bool(self.deferring)

    def caller(self) -> str:
        """The code being visited, as a message names it."""
        frame = self.frame
        where = "" if frame is None else f" in `{frame.function.name.value}()`"
        if self.deferring:
            return f"a {self.deferring[-1]}{where}"
        if frame is None:
            return "code outside any function"
        return f"synchronous `{frame.function.name.value}()`"

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.deferring.append("lambda")

    def leave_Lambda(
        self, original_node: cst.Lambda, updated_node: cst.Lambda
    ) -> cst.BaseExpression:
        self.deferring.pop()
        return updated_node

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.deferring.append("generator expression")

    def leave_GeneratorExp(
        self, original_node: cst.GeneratorExp, updated_node: cst.GeneratorExp
    ) -> cst.BaseExpression:
        self.deferring.pop()
        return updated_node
