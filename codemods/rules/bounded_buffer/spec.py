"""TG004 bounded-buffer, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods.core.settings import Settings
from codemods.rules.specs import ASYNCIO_311, CodemodSpec, Option

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.relevance import Seen


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A buffer TG004 bounds is drained by a write that awaits.

    Not ``append``: a third of all Python files spell it, and every one would be parsed.
    """
    return (b"await",)


def relevant(seen: Seen, settings: Settings) -> bool:
    """A class whose ``__init__`` sets an attribute to ``[]`` or a ``deque`` and that
    awaits (where TG004 looks for its drain)."""
    return seen.list_buffer


# It reads whole classes and modules: every function is visited, and LibCST is given
# every body where it may act (``words`` and ``kept_words`` left out).
SPEC = CodemodSpec(
    code="TG004",
    package=__package__,
    description="Bound in-memory buffers and flush them without losing entries",
    fix_safety="unsafe",
    requires_python=ASYNCIO_311,  # asyncio.timeout
    triggers=triggers,
    question=relevant,
    options=(
        Option(
            "maxlen",
            str,
            "self.config.max_memory_entries",
            "capacity of the buffer: an expression that `__init__` can evaluate "
            "where the buffer is created; a buffer whose capacity it cannot "
            "evaluate is reported, not changed",
        ),
        Option(
            "wait-timeout",
            str,
            "30.0",
            "seconds an append waits for room in a full buffer before the "
            "oldest entry is dropped (an expression, e.g. "
            "'self.config.buffer_full_timeout_seconds')",
        ),
        Option(
            "warning-interval",
            str,
            "10.0",
            "at most one 'entries dropped' warning per this many seconds (an "
            "expression, e.g. 'self.config.drop_warning_interval_seconds')",
        ),
        Option(
            "flush-event",
            str,
            "self._flush_requested",
            "the asyncio.Event that wakes the flush worker, set when the buffer "
            "is full; left out where `__init__` does not create it, or when ''",
        ),
        Option(
            "wake-at",
            str,
            "",
            "buffer length at which an append also sets `flush-event`, e.g. "
            "'self.config.flush_batch_size'; '' wakes the flusher only when full",
        ),
    ),
    # `explain` shows the first fixed example only: the other shapes are told in
    # the docstring, and shown by their golden cases.
    examples=("a_buffer_drained_under_its_lock", "a_buffer_that_is_also_indexed"),
)
