"""TG006 unawaited-coroutine, as the engine knows it without LibCST (see
``codemod.py``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from codemods.core.settings import Settings
from codemods.rules.specs import CodemodSpec, encoded

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.relevance import Seen


COROUTINE_FUNCTION = re.compile(r"\basync\s+def\s+(\w+)")


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A module defining a coroutine function may call it; callers in other files are
    found by the names the project index adds in later rounds."""
    return encoded(("async def",))


def relevant(seen: Seen, settings: Settings) -> bool:
    """A coroutine function the module defines is also called in it (by its name
    followed by ``(``, anywhere but its ``def``)."""
    text = seen.text
    for name in set(COROUTINE_FUNCTION.findall(text)):
        if len(re.findall(rf"\b{name}\s*\(", text)) > 1:
            return True
    return False


def reachable(seen: Seen, settings: Settings) -> bool:
    """Any module may call a coroutine function another one defines."""
    return True


SPEC = CodemodSpec(
    code="TG006",
    package=__package__,
    description="Await calls of coroutine functions whose coroutine is dropped",
    fix_safety="unsafe",
    triggers=triggers,
    question=relevant,
    reach=reachable,
    uses_index=True,
    examples=("dropped_coroutine", "awaited_or_handed_on"),
)
