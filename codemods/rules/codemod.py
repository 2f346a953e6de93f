"""The base every codemod derives from, and the context the engine hands it.

A codemod is a LibCST transformer (``cst.CSTTransformer``, whose metadata it asks for)
with our own small codemod base: not LibCST's ``VisitorBasedCodemodCommand``, whose
package (``libcst.codemod``, which imports ``libcst.matchers``) costs a small run more
CPU than LibCST's own import. The engine runs a codemod with ``run_codemod`` below, which
adds settings, ``# noqa`` handling, structured findings and the project index; ``python
-m libcst.tool codemod`` runs the codemods that need nothing beyond the file through
the adapter classes of ``codemods.commands``. What a codemod is (code, name,
description, fix safety, words, options) comes from its spec:
``class LegacyTracker(ScopeTracking, spec=SPEC)``.
"""

from __future__ import annotations

import importlib
from abc import ABC
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar, cast

import libcst as cst
from libcst.metadata import (
    BaseMetadataProvider,
    MetadataWrapper,
    PositionProvider,
    ProviderT,
)

from codemods.analysis.index import ProjectIndex
from codemods.core.noqa import NoqaMap
from codemods.core.results import Applicability, Finding
from codemods.core.settings import Settings
from codemods.core.source import split_lines
from codemods.cst.dispatch import FastTransformer
from codemods.cst.qualified import tree_lines
from codemods.cst.unused_imports import ImportRemoval, drop_unused_imports
from codemods.cst.walk import visit
from codemods.rules.specs import CodemodSpec, FixSafety

_MISSING = object()
_T = TypeVar("_T")


@dataclass
class CodemodContext:
    """The file a codemod transforms, as LibCST's context of that name describes it
    (the same field names), and what the codemod asks of the run: warnings for a run
    without findings, imports to drop once its fixes are made."""

    filename: str | None = None
    full_module_name: str | None = None
    full_package_name: str | None = None
    wrapper: MetadataWrapper | None = None
    warnings: list[str] = field(default_factory=list)
    removed_imports: list[ImportRemoval] = field(default_factory=list)

    def remove_unused_import(
        self, module: str, obj: str | None = None, asname: str | None = None
    ) -> None:
        """Drop ``import module`` (``from module import obj``), if no code uses it
        once the codemod is done (``_remove_imports``)."""
        self.removed_imports.append(ImportRemoval(module, obj, asname))


@dataclass
class Environment:
    """What the engine knows about the file being transformed."""

    settings: Settings
    noqa: NoqaMap = field(default_factory=NoqaMap)
    module_name: str | None = None
    index: ProjectIndex | None = None
    safe_only: bool = False
    findings: list[Finding] = field(default_factory=list)
    fixes_applied: int = 0
    # The text the tree prints as, when known (see ``Codemod.spells``).
    text: str | None = None


class Codemod(FastTransformer, cst.CSTTransformer, ABC):
    """Base class: subclasses declare ``class X(Codemod, spec=SPEC)``."""

    SPEC: ClassVar[CodemodSpec]
    CODE: ClassVar[str]
    NAME: ClassVar[str]
    FIX_SAFETY: ClassVar[FixSafety] = "unsafe"
    # None up front: ``get_metadata`` computes a provider for the whole tree on the
    # first question (kept by the wrapper), so a tree on which nothing is reported or
    # rewritten never pays for ``PositionProvider`` (see ``cst/positions.py``).
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = ()

    def __init_subclass__(cls, spec: CodemodSpec | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if spec is None:
            return
        if cls.__name__ != spec.class_name:
            raise TypeError(
                f"{cls.__name__}: the class of {spec.code} is named {spec.class_name}"
            )
        cls.SPEC, cls.CODE, cls.NAME = spec, spec.code, spec.name
        cls.FIX_SAFETY = spec.fix_safety

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        if environment is None:
            self.refuse_single_file_run()
        super().__init__()
        self.context = context
        self.env = environment or Environment(Settings())
        # The lines of ``env.text`` once read (see ``spells``); False: not yet.
        self._text_lines: list[str] | Literal[False] | None = False

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """The tree this codemod makes of ``tree`` (its metadata resolved)."""
        wrapper = self.context.wrapper
        if wrapper is None or wrapper.module is not tree:
            return visit(tree, self)
        # The statement a question about positions most likely concerns.
        return visit(tree, self, tree_lines(wrapper).enter)

    def warn(self, warning: str) -> None:
        """Shown by ``python -m libcst.tool codemod``, which knows nothing of findings."""
        self.context.warnings.append(warning)

    @classmethod
    def refuse_single_file_run(cls) -> None:
        """Made without the engine's environment, as ``libcst.tool`` makes it: a
        codemod that needs the whole run stops here, before any file is changed."""
        reason = cls.SPEC.whole_run_reason
        if reason is not None:
            raise SystemExit(
                f"codemods: {cls.CODE} {cls.NAME} cannot run under "
                f"`python -m libcst.tool codemod`: {reason}. Run it with "
                f"`codemods run --select {cls.CODE} PATH` (a diff), then add --write."
            )

    @property
    def settings(self) -> Settings:
        return self.env.settings

    def get_metadata(
        self,
        key: type[BaseMetadataProvider[_T]],
        node: cst.CSTNode,
        default: Any = _MISSING,
    ) -> _T:
        """LibCST's metadata of ``node`` (or ``default``); a provider not resolved up
        front is computed for the whole tree on the first question (kept by the
        wrapper), but for ``PositionProvider``: from the code of ``node``'s innermost
        function or class (else top-level statement) alone where it can
        (``TreeLines.position``)."""
        if key in self.metadata:
            found = self.metadata[key]
        elif key is PositionProvider:
            try:
                return cast(_T, tree_lines(self._wrapper()).position(node))
            except KeyError:
                if default is _MISSING:
                    raise
                return cast(_T, default)
        else:
            found = self._wrapper().resolve(key)
        if default is _MISSING:
            return cast(_T, found[node])
        return cast(_T, found.get(node, default))

    def _wrapper(self) -> MetadataWrapper:
        wrapper = self.context.wrapper
        assert wrapper is not None, "a codemod runs on a MetadataWrapper"
        return wrapper

    def spells(self, node: cst.CSTNode, words: Collection[str]) -> bool:
        """Whether the source lines of ``node`` spell one of ``words``; True when the
        text is unknown (``libcst.tool``).

        Visiting a subtree costs a call per node, so a codemod skips the functions
        that cannot hold what it looks for, after reading their lines instead (a
        function's lines come from the `ast`, not ``PositionProvider``)."""
        lines = self._lines()
        if lines is None:
            return True
        return tree_lines(self._wrapper()).spells(node, lines, words)

    def _lines(self) -> list[str] | None:
        """The lines of ``env.text``, if the tree's lines count them (LibCST prints a
        parsed module back with the same lines, but a check is cheap)."""
        if self._text_lines is False:
            text, wrapper = self.env.text, self.context.wrapper
            lines = None if text is None or wrapper is None else split_lines(text)
            if lines is not None and wrapper is not None:
                if tree_lines(wrapper).end_line() != len(lines) + 1:
                    lines = None
            self._text_lines = lines
        return self._text_lines

    def option(self, key: str) -> Any:
        return self.SPEC.option(self.settings, key)

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fixable: bool,
        applicability: Applicability | None = None,
        group: str | None = None,
        suppressible: bool = True,
    ) -> bool:
        """Record a finding at ``node``; True when its fix should be applied now.

        A finding suppressed by ``# noqa`` is not recorded and its fix not applied. With
        ``--safe-only``, an unsafe fix is recorded as pending instead of applied.
        """
        where = self.get_metadata(PositionProvider, node)
        position = where.start
        # A compound statement (a `def`) is marked on its first line; anything smaller
        # on any of its lines, all of which its fix may rewrite.
        last = (
            position.line
            if isinstance(node, cst.BaseCompoundStatement)
            else where.end.line
        )
        if suppressible and self.env.noqa.suppresses_span(
            position.line, last, self.CODE
        ):
            return False
        applicability = applicability or self.FIX_SAFETY
        apply = fixable and not (self.env.safe_only and applicability == "unsafe")
        if fixable and not apply:
            message += " (unsafe fix not applied: --safe-only)"
        self.env.findings.append(
            Finding(
                rule=self.CODE,
                line=position.line,
                col=position.column + 1,
                message=message,
                fixable=apply,
                applicability=applicability,
                group=group,
            )
        )
        if apply:
            self.env.fixes_applied += 1
        else:
            self.warn(f"{self.CODE} line {position.line}: {message}")
        return apply


def codemod_class(spec: CodemodSpec) -> type[Codemod]:
    """The class of ``spec``'s codemod (``codemod.py`` of its folder, imported now)."""
    cls: type[Codemod] = getattr(importlib.import_module(spec.module), spec.class_name)
    return cls


def run_codemod(
    codemod: type[Codemod],
    wrapper: MetadataWrapper,
    environment: Environment,
    filename: str | None = None,
) -> cst.Module:
    """Apply one codemod to an already wrapped module (metadata computed on demand),
    the file named ``filename`` of module ``environment.module_name``."""
    module_name = environment.module_name
    package = None
    if module_name is not None:
        is_package = filename is not None and filename.endswith("__init__.py")
        package = module_name if is_package else module_name.rpartition(".")[0]
    context = CodemodContext(
        filename=filename,
        full_module_name=module_name,
        full_package_name=package,
        wrapper=wrapper,
    )
    return apply_codemod(codemod, context, environment)


def apply_codemod(
    codemod: type[Codemod], context: CodemodContext, environment: Environment | None
) -> cst.Module:
    """Like LibCST's ``CodemodCommand.transform_module``, but on the context's wrapper
    (no copy of the tree); the import removals it asked for run afterwards."""
    wrapper = context.wrapper
    if wrapper is None:
        raise ValueError(f"{codemod.__name__}: a codemod runs on a wrapped module")
    instance = codemod(context, environment)
    with instance.resolve(wrapper):
        tree = instance.transform_module_impl(wrapper.module)
    if context.removed_imports:
        tree = _remove_imports(tree, context)
    return tree


def _remove_imports(tree: cst.Module, context: CodemodContext) -> cst.Module:
    """``tree`` without the imports ``context`` asked to remove that it no longer uses."""
    removals = context.removed_imports
    plain = drop_unused_imports(tree, removals, context.full_package_name)
    if plain is not None:
        return plain
    # Imported here: ``libcst.codemod`` (with ``libcst.matchers``) is as much CPU as
    # LibCST itself, and only an import whose use its scope analysis must judge
    # needs it.
    from libcst.codemod import CodemodContext as LibcstContext
    from libcst.codemod.visitors import RemoveImportsVisitor

    theirs = LibcstContext(
        filename=context.filename,
        full_module_name=context.full_module_name,
        full_package_name=context.full_package_name,
    )
    for removal in removals:
        RemoveImportsVisitor.remove_unused_import(
            theirs, removal.module, removal.obj, removal.asname
        )
    return RemoveImportsVisitor(theirs).transform_module(tree)
