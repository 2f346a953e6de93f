"""TG003 dangling-task, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from codemods.core.asyncio_names import (
    LOOP_ATTRIBUTE,
    LOOP_WORDS,
    SPAWN_FUNCTIONS,
    TASKGROUP,
)
from codemods.core.settings import Settings
from codemods.rules.specs import (
    ASYNCIO_311,
    CodemodSpec,
    Option,
    encoded,
    with_aliases,
)

SPAWN_WORDS = frozenset(SPAWN_FUNCTIONS)

if TYPE_CHECKING:  # annotations only: gains imports LibCST, no warm run judges
    from codemods.analysis.gains import GainHook
    from codemods.analysis.relevance import Seen


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """``create_task`` / ``ensure_future``: a spawn must spell one of them."""
    return encoded(SPAWN_FUNCTIONS)


def relevant(seen: Seen, settings: Settings) -> bool:
    """A thrown-away spawn TG003 may resolve: ``Seen.spawns``, ``create_task`` of what
    may be an event loop, or a spawn assigned to ``_`` or to a name written once. Also
    where the TaskGroup parameters come from that TG003 adds and other files' calls
    then pass (TG005)."""
    return any(
        seen.spawns(func) or _on_a_loop(func, seen) for func in seen.discarded
    ) or any(
        seen.calls(called, SPAWN_WORDS) and (name == "_" or _written_once(name, seen))
        for name, called in seen.assigned_calls.items()
    )


def _on_a_loop(func: ast.expr, seen: Seen) -> bool:
    """``<receiver>.create_task`` where the receiver may be an event loop."""
    if not (isinstance(func, ast.Attribute) and func.attr == "create_task"):
        return False
    owner = func.value
    if isinstance(owner, ast.Call):
        called = owner.func
        name = called.attr if isinstance(called, ast.Attribute) else None
        name = called.id if isinstance(called, ast.Name) else name
        return name is not None and seen.calls({name}, LOOP_WORDS)
    if isinstance(owner, ast.Attribute):
        return bool(LOOP_ATTRIBUTE.search(owner.attr)) or bool(
            seen.identifiers & LOOP_WORDS
        )
    if isinstance(owner, ast.Name):
        assigned = seen.assigned_calls.get(owner.id, set())
        return seen.calls(assigned, LOOP_WORDS) or bool(seen.annotating & LOOP_WORDS)
    return False


def _written_once(name: str, seen: Seen) -> bool:
    """Whether some function (or the module) spells ``name`` as a name once only: the
    codemod's own count (``analysis.name_counts``) is of names in the spawn's function,
    where ``self.task`` does not spell ``task``; an ``ast.Name`` is a LibCST ``Name``
    too, so this never says no where the codemod would find the name read nowhere."""
    if seen.tree is None:
        return True
    if len(re.findall(rf"(?<![.\w]){re.escape(name)}\b", seen.text)) <= 1:
        return True  # spelled once but as attributes: no need to walk the scopes
    scopes = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)
    return any(
        sum(isinstance(n, ast.Name) and n.id == name for n in ast.walk(scope)) == 1
        for scope in ast.walk(seen.tree)
        if isinstance(scope, scopes)
    )


def words(settings: Settings, text: str | None) -> tuple[str, ...]:
    return with_aliases(SPAWN_FUNCTIONS, text)


def kept_words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # Whether a class already keeps a TaskGroup reads all of it (group_keeping); a
    # caller holding a TaskGroup is what lets a function gain one (its calls are facts).
    return (
        *words(settings, text),
        f"self.{settings.taskgroup_param}",
        *with_aliases((TASKGROUP,), text),
    )


def gains() -> GainHook:
    # Imported on use: the hook reads LibCST trees, and a warm run reads this spec.
    from codemods.rules.dangling_task.gains import GAINS

    return GAINS


SPEC = CodemodSpec(
    code="TG003",
    package=__package__,
    description="Spawn fire-and-forget tasks into a TaskGroup",
    fix_safety="unsafe",
    requires_python=ASYNCIO_311,
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
