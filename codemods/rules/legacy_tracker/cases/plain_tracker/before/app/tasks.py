"""A tracker that only keeps a strong reference to each task."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_background_tasks: set[asyncio.Task[Any]] = set()


def track_task(
    coro: Coroutine[Any, Any, T], *, name: str | None = None
) -> asyncio.Task[T]:
    """Run *coro* as a task, referenced until it finishes."""
    task = asyncio.create_task(coro, name=name)
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return task
