"""TG003 dangling-task, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from codemods.core.asyncio_names import SPAWN_FUNCTIONS
from codemods.core.settings import Settings
from codemods.rules.specs import CodemodSpec, Option, encoded, with_aliases

SPAWN_WORDS = frozenset(SPAWN_FUNCTIONS)

if TYPE_CHECKING:  # annotations only: gains imports LibCST, no warm run judges
    from codemods.analysis.gains import GainHook
    from codemods.analysis.relevance import Seen


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """``create_task`` / ``ensure_future``: a spawn must spell one of them."""
    return encoded(SPAWN_FUNCTIONS)


def relevant(seen: Seen, settings: Settings) -> bool:
    """A thrown-away spawn TG003 may resolve (``Seen.spawns``), ``create_task`` of
    any receiver (an event loop, maybe), or a spawn assigned to a name (``_``, maybe
    never read). Also where the TaskGroup parameters come from that TG003 adds and
    other files' calls then pass (TG005)."""
    return any(
        seen.spawns(func)
        or (isinstance(func, ast.Attribute) and func.attr == "create_task")
        for func in seen.discarded
    ) or any(seen.calls(called, SPAWN_WORDS) for called in seen.assigned_calls.values())


def words(settings: Settings, text: str | None) -> tuple[str, ...]:
    return with_aliases(SPAWN_FUNCTIONS, text)


def kept_words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # Whether a class already keeps a TaskGroup reads all of it (group_keeping).
    return (*words(settings, text), f"self.{settings.taskgroup_param}")


def gains() -> GainHook:
    # Imported on use: the hook reads LibCST trees, and a warm run reads this spec.
    from codemods.rules.dangling_task.gains import GAINS

    return GAINS


SPEC = CodemodSpec(
    code="TG003",
    package=__package__,
    description="Spawn fire-and-forget tasks into a TaskGroup",
    fix_safety="unsafe",
    triggers=triggers,
    question=relevant,
    words=words,
    kept_words=kept_words,
    gains=gains,
    options=(
        Option(
            "task-names",
            dict,
            {},
            "task name template by spawned coroutine function, e.g. "
            "_run_loop = 'f\"workflow_{trace_id}\"'; used where every name it "
            "reads is in scope",
        ),
    ),
    examples=("method_of_a_class", "the_task_is_kept"),
)
