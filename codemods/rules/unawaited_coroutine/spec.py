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


NESTED_COROUTINE_FUNCTION = re.compile(r"^[ \t]+async\s+def\s+(\w+)", re.MULTILINE)
TOP_COROUTINE_FUNCTION = re.compile(r"^async\s+def\s+(\w+)", re.MULTILINE)


def words(settings: Settings, text: str | None) -> tuple[str, ...] | None:
    """A call it checks spells its callee: a lifecycle method (which the run, or an
    earlier one, made async), or a coroutine function of the module, as a call
    (``.tick(`` for a method, the name of a function called in the module), so that
    a coroutine function's own ``def`` line does not keep its body. Coroutine
    functions of other modules are checked where one of these keeps the function
    visited: a word per callee of the project would keep every body."""
    if text is None:
        return None
    methods = {f".{name}(" for name in NESTED_COROUTINE_FUNCTION.findall(text)}
    functions = {
        name
        for name in TOP_COROUTINE_FUNCTION.findall(text)
        if re.search(rf"(?<!def )\b{name}\s*\(", text) is not None
    }
    return (*settings.lifecycle_methods, *sorted(methods | functions))


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
    words=words,
    uses_index=True,
    examples=("dropped_coroutine", "awaited_or_handed_on"),
)
