"""A mixin that keeps track of the classes and functions a codemod is inside.

Codemods that override one of these visit/leave methods must call ``super()``.
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Collection

import libcst as cst

from codemods.cst.qualified import NameResolver
from codemods.cst.scopes import ClassScope, Frame, frame_for, taskgroup_targets
from codemods.rules.codemod import Codemod, CodemodContext, Environment


class ScopeTracking(Codemod, ABC):  # ABC: a base (see ``Codemod``)
    """Maintains ``self.scopes``: the enclosing ClassScope/Frame objects, innermost last."""

    # ScopeProvider and PositionProvider are computed on first need
    # (``Codemod.get_metadata``), not up front: most names are answered from the
    # module's imports (``cst/qualified.py``), most lines from the `ast`.
    METADATA_DEPENDENCIES = ()

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.scopes: list[ClassScope | Frame] = []
        self._with_targets: list[tuple[Frame, int]] = []
        # What a function's lines must spell for the codemod to visit it (None: every
        # function is visited); see ``Codemod.spells``.
        self.function_words: Collection[str] | None = self.SPEC.function_words(
            self.settings, self.env.text
        )
        self._names: NameResolver | None = None

    # -- queries ---------------------------------------------------------------------------

    def qualified(self, node: cst.CSTNode) -> set[str]:
        """Absolute qualified names ``node`` refers to through imports."""
        return self.names_resolver(node)

    @property
    def names_resolver(self) -> NameResolver:
        """What answers ``qualified`` (and knows which names the module binds)."""
        if self._names is None:
            self._names = NameResolver(self._wrapper(), self.module_name)
        return self._names

    @property
    def module_name(self) -> str | None:
        return self.env.module_name or self.context.full_module_name

    @property
    def frame(self) -> Frame | None:
        """The innermost enclosing function, if any."""
        top = self.scopes[-1] if self.scopes else None
        return top if isinstance(top, Frame) else None

    # -- bookkeeping -----------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(ClassScope(node))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.scopes.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        """Enter ``node``; False (its body is not visited) when it spells none of
        ``function_words``. Its frame is pushed either way, and popped on leaving."""
        top = self.scopes[-1] if self.scopes else None
        enclosing = top if isinstance(top, ClassScope) else None
        self.scopes.append(frame_for(node, self.qualified, enclosing))
        words = self.function_words
        return words is None or self.spells(node, words)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.scopes.pop()
        return updated_node

    def visit_With(self, node: cst.With) -> None:
        frame = self.frame
        targets = taskgroup_targets(node, self.qualified) if frame is not None else []
        if frame is not None:
            frame.taskgroup_blocks.extend(targets)
            self._with_targets.append((frame, len(targets)))

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        if self.frame is not None and self._with_targets:
            frame, count = self._with_targets.pop()
            if count:
                del frame.taskgroup_blocks[-count:]
        return updated_node
