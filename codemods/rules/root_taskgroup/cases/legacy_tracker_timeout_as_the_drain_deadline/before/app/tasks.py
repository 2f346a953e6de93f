"""A legacy tracker that cancels what it still holds at shutdown."""

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_tasks: set[asyncio.Task[Any]] = set()


def track_task(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    task = asyncio.create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


async def cancel_all_tasks(timeout: float = 5.0) -> None:
    for task in list(_tasks):
        task.cancel()
    if _tasks:
        await asyncio.wait(list(_tasks), timeout=timeout)
