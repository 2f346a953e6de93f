"""The words code must spell for a codemod to find anything in it.

A codemod skips a function whose lines spell none of its words (``Codemod.spells``)
instead of visiting it: LibCST rebuilds every node it visits, and in a large module
most functions hold nothing a codemod acts on. A word is matched as a substring, so
a longer name or a comment spelling it only costs a visit, never a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from codemods.rules.registry import SPAWN_WORDS

SPAWNING = tuple(word.decode() for word in SPAWN_WORDS)
TASKGROUP_WORDS = ("TaskGroup",)


def with_aliases(words: Iterable[str], text: str | None) -> tuple[str, ...]:
    """``words``, and the names imports in ``text`` bind them to (``from asyncio
    import create_task as spawn``: a call of ``spawn(...)`` spells no word)."""
    words = tuple(words)
    if text is None or not words:
        return words
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\s+as\s+(\w+)")
    aliases = {match.group(1) for match in pattern.finditer(text)}
    return (*words, *sorted(aliases - set(words)))
