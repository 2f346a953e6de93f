"""Qualified names: what a node refers to through the module's imports, absolute
(``.tracker.track_task`` read in ``app.jobs`` is ``app.tracker.track_task``), and
whether it is one of the configured functions. Matching by qualified name, not by
spelling, is what lets an alias or a re-export be recognised and a namesake not."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    QualifiedName,
    QualifiedNameSource,
    ScopeProvider,
)

# Gives the (absolute) qualified names of a node; codemods bind it to their metadata.
QualifiedNamesOf = Callable[[cst.CSTNode], set[str]]


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


def qualified_names_of(wrapper: MetadataWrapper, module_name: str) -> QualifiedNamesOf:
    """Absolute imported names of a node, as ``ScopeTracking.qualified`` gives them."""
    # What QualifiedNameProvider gives, without its extra pass over every node.
    scopes = wrapper.resolve(ScopeProvider)

    def resolve(node: cst.CSTNode) -> set[str]:
        scope = scopes.get(node)
        found = scope.get_qualified_names_for(node) if scope is not None else set()
        return imported_names(found, module_name)

    return resolve
