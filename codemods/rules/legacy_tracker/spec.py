"""TG001 legacy-tracker, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods.core.settings import Settings
from codemods.rules.specs import ASYNCIO_311, CodemodSpec, encoded, with_aliases

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.gains import GainHook
    from codemods.analysis.relevance import Seen


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """The last component of each configured tracker: a call must spell it."""
    return encoded(settings.tracker_names)


def relevant(seen: Seen, settings: Settings) -> bool:
    """A tracker's name as an identifier (a call, an attribute, an import)."""
    return not seen.identifiers.isdisjoint(settings.tracker_names)


def words(settings: Settings, text: str | None) -> tuple[str, ...]:
    return with_aliases(settings.tracker_names, text)


def kept_words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # Without `import asyncio`, whether code uses `asyncio.` reads the module.
    return (*words(settings, text), "asyncio")


def gains() -> GainHook:
    # Imported on use: the hook reads LibCST trees, and a warm run reads this spec.
    from codemods.rules.legacy_tracker.gains import GAINS

    return GAINS


SPEC = CodemodSpec(
    code="TG001",
    package=__package__,
    description="Replace legacy tracker calls with TaskGroup.create_task",
    fix_safety="unsafe",
    requires_python=ASYNCIO_311,
    triggers=triggers,
    question=relevant,
    words=words,
    kept_words=kept_words,
    gains=gains,
    examples=(
        "taskgroup_parameter",
        "no_taskgroup_in_scope",
        "fallback_already_written",
    ),
)
