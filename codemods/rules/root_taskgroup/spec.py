"""TG007 root-taskgroup, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

import ast
import re
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


# Where the module names its entry points: `asyncio.run(main())`, `lifespan=lifespan`,
# `app.cleanup_ctx.append(ctx)`.
_NAMED_ENTRY = re.compile(
    r"\brun\(\s*(\w+)\(|\blifespan\s*=\s*(\w+)|cleanup_ctx\.append\(\s*(\w+)"
)


def words(settings: Settings, text: str | None) -> tuple[str, ...] | None:
    """What an entry point's lines spell: its decorator or its app's type (a
    lifespan), or its name where the module runs it (None: any function may be one)."""
    if text is None:
        return None
    named = {name for match in _NAMED_ENTRY.finditer(text) for name in match.groups()}
    return (
        "asynccontextmanager",
        "FastAPI",
        "Starlette",
        *sorted(name for name in named if name),
        *entry_function_names(settings),
    )


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
    words=words,
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
            None,
            "seconds background tasks may still run after the entry point's own "
            "shutdown code before they are cancelled; unset: the timeout that code "
            f"gives the legacy tracker's cancel function, else {DEFAULT_DRAIN_TIMEOUT:g}",
        ),
    ),
    examples=("lifespan_release_tail", "entry_point_with_nothing_to_own"),
)
