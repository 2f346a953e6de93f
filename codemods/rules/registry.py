"""Every codemod, in execution order, described without importing LibCST.

The engine reads codes, names, trigger words and options from here, so that deciding which
files need parsing (and a warm run that parses nothing) never imports LibCST. The codemod
classes themselves are imported on first use by :meth:`CodemodSpec.load`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codemods.config import Settings
    from codemods.rules.codemod import Codemod

SPAWN_WORDS = (b"create_task", b"ensure_future")


@dataclass(frozen=True)
class Option:
    """A per-codemod setting, read from ``[tool.codemods.<CODE>]``."""

    key: str
    kind: type | tuple[type, ...]
    default: Any
    help: str


@dataclass(frozen=True)
class CodemodSpec:
    code: str
    name: str
    module: str
    class_name: str
    triggers: Callable[[Settings], tuple[bytes, ...]]
    options: tuple[Option, ...] = ()
    # It asks the project index, so its result in one file can depend on others.
    uses_index: bool = False

    def load(self) -> type[Codemod]:
        cls: type[Codemod] = getattr(
            importlib.import_module(self.module), self.class_name
        )
        return cls


def tracker_words(settings: Settings) -> tuple[bytes, ...]:
    """The last component of each configured tracker: a call must spell it."""
    return tuple(name.rsplit(".", 1)[-1].encode() for name in settings.trackers)


def task_spawn_words(settings: Settings) -> tuple[bytes, ...]:
    """``create_task`` / ``ensure_future``: a spawn must spell one of them."""
    return SPAWN_WORDS


def lifecycle_words(settings: Settings) -> tuple[bytes, ...]:
    """A lifecycle method TG002 converts spawns: by tracker or by asyncio. Its callers
    in other files are found by the words the project index adds in later rounds."""
    return (*tracker_words(settings), *SPAWN_WORDS)


def taskgroup_words(settings: Settings) -> tuple[bytes, ...]:
    """A TaskGroup in scope is spelled: ``asyncio.TaskGroup()`` or an annotation."""
    return (b"TaskGroup",)


def buffer_words(settings: Settings) -> tuple[bytes, ...]:
    """A buffer TG004 bounds is appended to and drained under ``async with <lock>:``.

    Not ``append``: a third of all Python files spell it, and every one would be parsed.
    """
    return (b"async with",)


CODEMODS: tuple[CodemodSpec, ...] = (
    CodemodSpec(
        code="TG002",
        name="sync-start",
        module="codemods.rules.sync_start.codemod",
        class_name="SyncStart",
        triggers=lifecycle_words,
        uses_index=True,
        options=(
            Option(
                "safe-bases",
                list,
                (),
                "base classes from outside the project that define no lifecycle "
                "method, e.g. 'pydantic.BaseModel'; other outside bases keep a "
                "family from being converted",
            ),
        ),
    ),
    CodemodSpec(
        code="TG001",
        name="legacy-tracker",
        module="codemods.rules.legacy_tracker.codemod",
        class_name="LegacyTracker",
        triggers=tracker_words,
    ),
    CodemodSpec(
        code="TG003",
        name="dangling-task",
        module="codemods.rules.dangling_task.codemod",
        class_name="DanglingTask",
        triggers=task_spawn_words,
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
    ),
    CodemodSpec(
        code="TG005",
        name="lifespan-taskgroup",
        module="codemods.rules.lifespan_taskgroup.codemod",
        class_name="LifespanTaskgroup",
        triggers=taskgroup_words,
        uses_index=True,
        options=(
            Option(
                "accepting",
                list,
                (),
                "callables from outside the project that accept the TaskGroup "
                "parameter, by qualified name, e.g. 'workers.start_pool'",
            ),
        ),
    ),
    CodemodSpec(
        code="TG004",
        name="bounded-buffer",
        module="codemods.rules.bounded_buffer.codemod",
        class_name="BoundedBuffer",
        triggers=buffer_words,
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
    ),
)


def own_code_words(settings: Settings) -> tuple[bytes, ...]:
    """A noqa comment naming one of this tool's codes spells ``TG`` and a digit."""
    return tuple(f"TG{digit}".encode() for digit in range(10))


# TG100 reports the `# noqa` directives the codemods before it did not use, so it runs
# after all of them: keep it last (a codemod added to CODEMODS above lands before it).
CODEMODS += (
    CodemodSpec(
        code="TG100",
        name="unused-noqa",
        module="codemods.rules.unused_noqa.codemod",
        class_name="UnusedNoqa",
        triggers=own_code_words,
    ),
)


def find(code_or_name: str) -> CodemodSpec | None:
    """The codemod with this code or name (case-insensitive), if any."""
    wanted = code_or_name.strip().lower()
    for spec in CODEMODS:
        if wanted in (spec.code.lower(), spec.name):
            return spec
    return None


def select(selected: Sequence[str], ignored: Sequence[str]) -> tuple[CodemodSpec, ...]:
    """The codemods chosen by ``select``/``ignore`` (codes or names), in execution order.

    Unknown codes raise ``KeyError`` naming them; ``ALL`` selects everything.
    """
    wanted: set[str] = set()
    for item in selected:
        if item.strip().upper() == "ALL":
            wanted.update(spec.code for spec in CODEMODS)
            continue
        spec = find(item)
        if spec is None:
            raise KeyError(item)
        wanted.add(spec.code)
    for item in ignored:
        spec = find(item)
        if spec is None:
            raise KeyError(item)
        wanted.discard(spec.code)
    return tuple(spec for spec in CODEMODS if spec.code in wanted)
