"""TG007 root-taskgroup, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from codemods.core.settings import Settings
from codemods.rules.specs import ASYNCIO_311, CodemodSpec, Option, encoded

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.relevance import Seen

DEFAULT_DRAIN_TIMEOUT = 30.0


def entry_function_names(settings: Settings) -> tuple[str, ...]:
    """The function names of the configured ``entry-points`` (``pkg.mod:function``)."""
    configured = SPEC.option(settings, "entry-points")
    return tuple(str(entry).rpartition(":")[2] for entry in configured)


def triggers(settings: Settings) -> tuple[bytes, ...]:
    return encoded(("asynccontextmanager", "cleanup_ctx", "asyncio"))


def relevant(seen: Seen, settings: Settings) -> bool:
    """An entry point's shape is spelled in code, or a configured one is defined."""
    names = seen.identifiers
    return (
        "asynccontextmanager" in names
        or "cleanup_ctx" in names
        or any(_runs_asyncio(called, seen) for called in seen.discarded)
        or not names.isdisjoint(entry_function_names(settings))
    )


def _runs_asyncio(called: ast.expr, seen: Seen) -> bool:
    """``asyncio.run`` (or an alias of it), called as a statement: ``run`` alone names
    too many methods to count."""
    if isinstance(called, ast.Name):
        return (
            called.id in seen.imported
            and seen.aliases.get(called.id, called.id) == "run"
        )
    return (
        isinstance(called, ast.Attribute)
        and called.attr == "run"
        and isinstance(called.value, ast.Name)
        and called.value.id in seen.imported
    )


SPEC = CodemodSpec(
    code="TG007",
    package=__package__,
    description="Open the application's root TaskGroup in its entry point",
    fix_safety="unsafe",
    triggers=triggers,
    question=relevant,
    uses_index=True,
    requires_python=ASYNCIO_311,  # asyncio.TaskGroup, asyncio.timeout
    options=(
        Option(
            "entry-points",
            list,
            (),
            "more entry points, as 'package.module:function' (async functions run "
            "for the application's whole life)",
        ),
        Option(
            "drain-timeout",
            (int, float),
            DEFAULT_DRAIN_TIMEOUT,
            "seconds background tasks may still run after the entry point's own "
            "shutdown code before they are cancelled",
        ),
    ),
    examples=("fastapi_lifespan", "entry_point_with_nothing_to_own"),
)
