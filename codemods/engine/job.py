"""What to do with every file of a run (sent once to each worker)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codemods.analysis.scope import IndexScope
from codemods.core.settings import Settings
from codemods.rules import registry
from codemods.rules.specs import CodemodSpec

if TYPE_CHECKING:  # it imports LibCST, which a warm run never does
    from codemods.analysis.gains import GainHook

# Source characters of parsed trees a worker keeps for the finalize phase (a LibCST tree
# takes about 25 bytes a character); past it, a file is parsed again if needed.
KEEP_BUDGET = 3_000_000


@dataclass(frozen=True)
class Job:
    """What to do with every file of a run; sent once to each worker."""

    settings: Settings
    want_diff: bool = False
    write: bool = False
    safe_only: bool = False
    # Internal (robustness tests): False parses every file, not only those containing a
    # trigger word, so that the parser and codemods meet every file of a corpus.
    prefilter: bool = True
    keep_budget: int = KEEP_BUDGET
    # Record each file's stamp (size, mtime, content hash) for the cache.
    stamp: bool = False
    # The codemods to run, by code (None: those ``settings`` select).
    only: tuple[str, ...] | None = None
    codes: tuple[str, ...] = field(init=False)
    triggers: tuple[bytes, ...] = field(init=False)
    # Some codemod of the job asks the project index: the runner works in phases.
    uses_index: bool = field(init=False)

    def __post_init__(self) -> None:
        specs = (
            registry.selected(self.settings)
            if self.only is None
            else registry.specs_of(self.only)
        )
        object.__setattr__(self, "codes", tuple(spec.code for spec in specs))
        words = {word for spec in specs for word in spec.triggers(self.settings)}
        object.__setattr__(self, "triggers", tuple(sorted(words)))
        # A codemod that changes signatures (TG001, TG003) needs the index only to
        # learn who passes a TaskGroup and who takes a function as a value; TG005,
        # the one that passes, uses the index, and without it nothing gains one.
        object.__setattr__(self, "uses_index", any(spec.uses_index for spec in specs))

    @property
    def specs(self) -> tuple[CodemodSpec, ...]:
        """The codemods to run, in execution order."""
        return registry.specs_of(self.codes)

    @property
    def index_scope(self) -> IndexScope:
        """What the project index's answers depend on in this run."""
        return registry.index_scope(self.settings)

    @property
    def gains(self) -> tuple[GainHook, ...]:
        """The hooks by which the selected codemods tell the index who gains a
        TaskGroup parameter (``analysis/gains.py``)."""
        return registry.gain_hooks(self.settings)
