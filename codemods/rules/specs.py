"""What a codemod declares about itself, in one place and without LibCST: its spec.

Every run reads the specs, the warm ones that parse nothing too: which bytes a file
must hold to concern a codemod (``triggers``), the question its ``ast`` must answer
(``relevant``; ``reachable`` for a codemod asking the project index), which functions
the codemod needs to visit (``words``) and which bodies LibCST must be given
(``kept_words``), its options, its fix safety, whether it asks the project index and
the hook by which the index learns what it will change (``gains``). The LibCST class
is imported only when the codemod runs (``codemod_class`` in ``codemod.py``).

A codemod is a folder ``codemods/rules/<name>/``: ``spec.py`` holds ``SPEC``,
``codemod.py`` the class (``<Name>``, the CamelCase of the folder), ``cases/`` its
golden cases; the folder's name, in kebab case, is the codemod's name.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from codemods.core.settings import Settings

if TYPE_CHECKING:  # annotations only: gains imports LibCST, and no warm run judges
    from codemods.analysis.gains import GainHook
    from codemods.analysis.relevance import Seen

FixSafety = Literal["safe", "unsafe"]
# The words a function's lines must spell, given the settings and the module's text
# (None: any function may hold what the codemod acts on). A codemod skips a function
# that spells none (``Codemod.spells``): LibCST rebuilds every node it visits, and in a
# large module most functions hold nothing a codemod acts on. A word is matched as a
# substring, so a longer name or a comment spelling it only costs a visit.
Words = Callable[[Settings, str | None], tuple[str, ...] | None]
Question: TypeAlias = "Callable[[Seen, Settings], bool]"


# asyncio.TaskGroup and asyncio.timeout are new in Python 3.11: code using them needs it.
ASYNCIO_311 = (3, 11)


@dataclass(frozen=True)
class Option:
    """A per-codemod setting, read from ``[tool.codemods.<CODE>]``."""

    key: str
    kind: type | tuple[type, ...]
    default: Any
    help: str
    # The field of the project index's scope (``IndexScope``) it sets, if any: the
    # index's answers depend on it.
    scope: str | None = None


@dataclass(frozen=True)
class CodemodSpec:
    code: str
    # The package of the codemod's folder (``__package__`` of its spec module).
    package: str
    # One line, as ``codemods list`` shows it.
    description: str
    fix_safety: FixSafety
    # Bytes a file must contain for the codemod to find anything in it.
    triggers: Callable[[Settings], tuple[bytes, ...]]
    # What the file's ``ast`` must show (None: its trigger words spelled anywhere).
    question: Question | None = None
    # For a codemod asking the index: what else makes the file worth visiting.
    reach: Question | None = None
    # What a function must spell to be visited (None: every function is).
    words: Words | None = None
    # What a function must spell for LibCST to be given its body when the codemod
    # runs (None: ``words``; a function returning None: every body).
    kept_words: Words | None = None
    options: tuple[Option, ...] = ()
    # The oldest Python the code it writes runs on (None: any the tool runs on); the
    # run refuses it for a project supporting older ones (``config.check_target``).
    requires_python: tuple[int, int] | None = None
    # It asks the project index, so its result in one file can depend on others.
    uses_index: bool = False
    # The hook by which the index learns which functions it gives a TaskGroup
    # parameter (a function, so that LibCST is imported only when facts are made).
    gains: Callable[[], GainHook] | None = None
    # The golden cases ``codemods explain`` shows, by name: at least one it fixes and
    # one it must leave alone.
    examples: tuple[str, ...] = ()
    # Why it cannot run on one file alone, as ``python -m libcst.tool codemod`` runs it
    # (None: it can, or ``uses_index`` says why not).
    needs_whole_run: str | None = None

    @property
    def folder(self) -> str:
        return self.package.rpartition(".")[2]

    @property
    def name(self) -> str:
        """``legacy-tracker`` for the folder ``legacy_tracker``."""
        return self.folder.replace("_", "-")

    @property
    def class_name(self) -> str:
        """``LegacyTracker`` for the folder ``legacy_tracker``."""
        return "".join(part.capitalize() for part in self.folder.split("_"))

    @property
    def module(self) -> str:
        return f"{self.package}.codemod"

    @property
    def cases(self) -> Path:
        """The folder of its golden cases."""
        package = importlib.import_module(self.package)
        return Path(str(package.__file__)).parent / "cases"

    @property
    def whole_run_reason(self) -> str | None:
        """Why the codemod needs a whole ``codemods run`` (None: a file alone will do)."""
        if self.uses_index:
            return (
                "its changes reach other files (callers of what it changes), which "
                "only a whole run's project index finds"
            )
        return self.needs_whole_run

    def option(self, settings: Settings, key: str) -> Any:
        """The value of option ``key`` in ``settings``, else its default."""
        configured: Mapping[str, Any] = settings.options.get(self.code, {})
        if key in configured:
            return configured[key]
        return next(option.default for option in self.options if option.key == key)

    def relevant(self, seen: Seen, settings: Settings) -> bool:
        if self.question is None:
            return any(word.decode() in seen.text for word in self.triggers(settings))
        return self.question(seen, settings)

    def reachable(self, seen: Seen, settings: Settings) -> bool:
        return self.reach is not None and self.reach(seen, settings)

    def function_words(
        self, settings: Settings, text: str | None
    ) -> tuple[str, ...] | None:
        """What a function's lines must spell to be visited (None: every one is)."""
        return None if self.words is None else self.words(settings, text)

    def body_words(
        self, settings: Settings, text: str | None
    ) -> tuple[str, ...] | None:
        """What a function's lines must spell for LibCST to be given its body (None:
        every body must be)."""
        if self.kept_words is None:
            return self.function_words(settings, text)
        return self.kept_words(settings, text)


def with_aliases(words: Iterable[str], text: str | None) -> tuple[str, ...]:
    """``words``, and the names imports in ``text`` bind them to (``from asyncio
    import create_task as spawn``: a call of ``spawn(...)`` spells no word)."""
    words = tuple(words)
    if text is None or not words:
        return words
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\s+as\s+(\w+)")
    aliases = {match.group(1) for match in pattern.finditer(text)}
    return (*words, *sorted(aliases - set(words)))


def encoded(words: Iterable[str]) -> tuple[bytes, ...]:
    return tuple(word.encode() for word in words)
