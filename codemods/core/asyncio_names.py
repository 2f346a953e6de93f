"""The asyncio names the codemods look for, written once: as words (what the bytes
and ``ast`` prefilters, and a function's lines, must spell) and as qualified names
(what LibCST's scope analysis resolves a call or an annotation to)."""

from __future__ import annotations

import re

# The functions that spawn a task, by their own name.
SPAWN_FUNCTIONS = ("create_task", "ensure_future")
TASKGROUP = "TaskGroup"
RUNNING_LOOP_GETTER = "get_running_loop"

TASKGROUP_NAMES = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})
SPAWN_FUNCTION_NAMES = frozenset(
    f"{module}.{function}"
    for module in ("asyncio", "asyncio.tasks")
    for function in SPAWN_FUNCTIONS
)
RUNNING_LOOP_GETTERS = frozenset(
    {"asyncio.get_running_loop", "asyncio.events.get_running_loop"}
)
# Either gives the loop a spawn inside a coroutine runs in.
LOOP_GETTERS = RUNNING_LOOP_GETTERS | {"asyncio.get_event_loop"}
# A loop of its own, not yet running: a spawn on it keeps it as the receiver.
NEW_LOOP_GETTERS = frozenset(
    {"asyncio.new_event_loop", "asyncio.events.new_event_loop"}
)
EVENT_LOOP_TYPES = frozenset(
    f"asyncio.{module}{name}"
    for module in ("", "events.", "base_events.")
    for name in ("AbstractEventLoop", "BaseEventLoop")
)
# The words of what gives an event loop, and an attribute named for holding one
# (``self.loop``, ``self._event_loop``), which a base class may set.
LOOP_WORDS = frozenset(
    {"get_running_loop", "get_event_loop", "new_event_loop", "AbstractEventLoop"}
)
LOOP_ATTRIBUTE = re.compile(r"(?:^|_)loop$")
# Coroutine functions of asyncio: a call of one is a coroutine, never a Future.
COROUTINE_FUNCTION_NAMES = frozenset(
    f"asyncio.{name}"
    for name in (
        "sleep",
        "wait",
        "wait_for",
        "open_connection",
        "open_unix_connection",
        "start_server",
        "start_unix_server",
        "to_thread",
        "create_subprocess_exec",
        "create_subprocess_shell",
    )
)
LOCKS = frozenset({"asyncio.Lock", "asyncio.locks.Lock"})
