"""Dropping the tracker's imports that no code uses once TG001 has rewritten its
calls (a tracker whose fallback calls it again keeps them in use)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.qualified import absolute, matches_configured
from codemods.rules.codemod import CodemodContext


def schedule_import_removal(
    context: CodemodContext,
    module: cst.Module,
    module_name: str | None,
    trackers: Sequence[str],
    tracker_modules: Collection[str],
) -> None:
    """Ask LibCST to drop the imports of ``trackers`` (and of ``tracker_modules``,
    imported whole) from ``module`` where no code uses them any more."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(
                small.names, cst.ImportStar
            ):
                source = _import_source(small)
                for alias in small.names:
                    imported = absolute(f"{source}.{code_of(alias.name)}", module_name)
                    if matches_configured({imported}, trackers):
                        _remove(context, small, alias, module_name)
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    name = code_of(alias.name)
                    if name in tracker_modules:
                        asname = alias.asname.name if alias.asname else None
                        context.remove_unused_import(
                            name,
                            asname=asname.value
                            if isinstance(asname, cst.Name)
                            else None,
                        )


def _remove(
    context: CodemodContext,
    node: cst.ImportFrom,
    alias: cst.ImportAlias,
    module_name: str | None,
) -> None:
    asname = alias.asname.name if alias.asname else None
    context.remove_unused_import(
        absolute(_import_source(node), module_name),
        obj=alias.name.value if isinstance(alias.name, cst.Name) else None,
        asname=asname.value if isinstance(asname, cst.Name) else None,
    )


def _import_source(node: cst.ImportFrom) -> str:
    """``.x.y`` for ``from .x.y import ...``."""
    return "." * len(node.relative) + (
        "" if node.module is None else code_of(node.module)
    )
