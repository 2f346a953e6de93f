"""Who spawned each task, and through what: a task factory that reads the stack.

Every task the event loop creates passes through its task factory, whichever API
made it. The factory walks the stack up to the first frame of the application's
code (the spawn site) and looks at the function that frame called:
``TaskGroup.create_task`` (a task in a group, which one is recorded),
``asyncio.create_task``, ``asyncio.ensure_future`` or ``loop.create_task`` (a bare
task: the fallback a migration must no longer take), or anything else, such as
``asyncio.gather`` or ``asyncio.wait_for`` (a helper whose task the caller awaits
at once: not a background task, not recorded). Tasks made by libraries or by the
test itself have no application frame and are not recorded either.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import asyncio.tasks
import contextlib
import os
import sys
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest

TASK_GROUP = asyncio.TaskGroup.create_task.__code__
BARE: dict[CodeType, str] = {
    asyncio.tasks.create_task.__code__: "asyncio.create_task",
    asyncio.tasks.ensure_future.__code__: "asyncio.ensure_future",
    asyncio.base_events.BaseEventLoop.create_task.__code__: "loop.create_task",
}
CHAIN_DEPTH = 4  # application frames shown per spawn, innermost first


@dataclass(frozen=True)
class Spawn:
    via: str  # "TaskGroup.create_task", "asyncio.create_task", ...
    chain: tuple[
        str, ...
    ]  # application frames "module.py:line (function)", innermost first
    group: asyncio.TaskGroup | None
    # Weak, so that recording a task never keeps it alive; named after creation.
    task: weakref.ref[asyncio.Task[Any]]

    @property
    def name(self) -> str:
        task = self.task()
        return "(collected)" if task is None else task.get_name()

    def __str__(self) -> str:
        return f"{self.via} at {' <- '.join(self.chain)} (task {self.name!r})"

    def touches(self, module: str) -> bool:
        return any(frame.startswith(f"{module}:") for frame in self.chain)


@dataclass
class SpawnRecorder:
    """Records the application's spawns; ``install`` it on the running loop."""

    app_root: Path
    spawns: list[Spawn] = field(default_factory=list)
    entered_groups: list[tuple[asyncio.TaskGroup, asyncio.Task[Any] | None]] = field(
        default_factory=list
    )
    _is_app: dict[str, bool] = field(default_factory=dict)

    def install(self) -> None:
        asyncio.get_running_loop().set_task_factory(self._factory)

    @contextlib.contextmanager
    def watching_groups(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        """Record every TaskGroup the application enters, with the entering task."""
        original = asyncio.TaskGroup.__aenter__
        recorder = self

        async def recording_aenter(group: asyncio.TaskGroup) -> asyncio.TaskGroup:
            if recorder._app_frames(sys._getframe(1)):
                recorder.entered_groups.append((group, asyncio.current_task()))
            return await original(group)

        with monkeypatch.context() as patch:
            patch.setattr(asyncio.TaskGroup, "__aenter__", recording_aenter)
            yield

    def _factory(
        self, loop: asyncio.AbstractEventLoop, coro: Any, **options: Any
    ) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.Task(coro, loop=loop, **options)
        self._record(task, sys._getframe(1))
        return task

    def _record(self, task: asyncio.Task[Any], frame: FrameType | None) -> None:
        callee: FrameType | None = None
        while frame is not None and not self._in_app(frame):
            callee, frame = frame, frame.f_back
        if frame is None or callee is None:
            return  # made by a library or the test
        if callee.f_code is TASK_GROUP:
            via, group = "TaskGroup.create_task", callee.f_locals.get("self")
        elif callee.f_code in BARE:
            via, group = BARE[callee.f_code], None
        else:
            return  # gather, wait_for, ...: awaited by its caller
        self.spawns.append(
            Spawn(via, self._app_frames(frame), group, weakref.ref(task))
        )

    def _app_frames(self, frame: FrameType | None) -> tuple[str, ...]:
        shown: list[str] = []
        while frame is not None and len(shown) < CHAIN_DEPTH:
            if self._in_app(frame):
                code = frame.f_code
                where = os.path.relpath(code.co_filename, self.app_root)
                shown.append(f"{where}:{frame.f_lineno} ({code.co_name})")
            frame = frame.f_back
        return tuple(shown)

    def _in_app(self, frame: FrameType) -> bool:
        filename = frame.f_code.co_filename
        known = self._is_app.get(filename)
        if known is None:
            path = Path(os.path.realpath(filename))
            known = self.app_root in path.parents
            self._is_app[filename] = known
        return known

    def bare(self) -> list[Spawn]:
        return [spawn for spawn in self.spawns if spawn.group is None]

    def in_group(self) -> list[Spawn]:
        return [spawn for spawn in self.spawns if spawn.group is not None]
