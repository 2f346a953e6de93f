"""TG006 unawaited-coroutine, as the engine knows it without LibCST (see
``codemod.py``)."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from codemods.core.settings import Settings
from codemods.rules.specs import CodemodSpec, encoded
from codemods.rules.unawaited_coroutine.reach import project_names

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.relevance import Seen


COROUTINE_FUNCTION = re.compile(r"\basync\s+def\s+(\w+)")
PUBLIC_COROUTINE_FUNCTION = re.compile(r"^(?:    )?async\s+def\s+[^\W_]", re.MULTILINE)
IMPORT_LINE = re.compile(r"^[ \t]*(?:from|import)\b.*$", re.MULTILINE)
# Each word written as a call (``name(``): one pass over the text for every name.
CALLED = re.compile(r"\b(\w+)\s*\(")
CALLED_NOT_DEFINED = re.compile(r"(?<!def )\b(\w+)\s*\(")


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A module defining a coroutine function may call it; callers in other files are
    found by the names the project index adds in later rounds."""
    return encoded(("async def",))


def relevant(seen: Seen, settings: Settings) -> bool:
    """A coroutine function the module defines is also called in it (by its name
    followed by ``(``, anywhere but its ``def``), or a name it imports from the
    project is called or reached into (``name(``, ``name.``) or annotates a
    parameter: another module's coroutine function may be called through it."""
    text = seen.text
    # Asked first, from the prefilter's tree: the elision plan of a file judged
    # relevant asks for them again (``words``), answered then without a parse.
    imported = project_names(text, settings.root, seen.tree)
    defined = set(COROUTINE_FUNCTION.findall(text))
    if defined:
        calls = Counter(name for name in CALLED.findall(text) if name in defined)
        if any(count > 1 for count in calls.values()):
            return True
    if PUBLIC_COROUTINE_FUNCTION.search(text) is not None:
        # Its callers are in other modules: the index must know it (its bodies are
        # left out of the parse unless they call something TG006 checks).
        return True
    if not imported:
        return False
    if not seen.annotating.isdisjoint(imported):
        return True
    names = "|".join(re.escape(name) for name in sorted(imported))
    return re.search(rf"\b(?:{names})\s*[.(]", IMPORT_LINE.sub("", text)) is not None


NESTED_COROUTINE_FUNCTION = re.compile(r"^[ \t]+async\s+def\s+(\w+)", re.MULTILINE)
TOP_COROUTINE_FUNCTION = re.compile(r"^async\s+def\s+(\w+)", re.MULTILINE)


def words(settings: Settings, text: str | None) -> tuple[str, ...] | None:
    """A call it checks spells its callee: a lifecycle method (which the run, or an
    earlier one, made async), or a coroutine function of the module, as a call
    (``.tick(`` for a method, the name of a function called in the module), so that
    a coroutine function's own ``def`` line does not keep its body. A coroutine
    function of another module is reached through a name the module imports from
    the project, or an attribute of ``self`` holding one (``reach.py``)."""
    if text is None:
        return None
    methods = {f".{name}(" for name in NESTED_COROUTINE_FUNCTION.findall(text)}
    functions = set(TOP_COROUTINE_FUNCTION.findall(text))
    if functions:
        functions.intersection_update(CALLED_NOT_DEFINED.findall(text))
    imported = project_names(text, settings.root)
    return (*settings.lifecycle_methods, *sorted(methods | functions | imported))


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
