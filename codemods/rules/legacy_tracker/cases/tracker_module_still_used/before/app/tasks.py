"""A tracker that names, counts and cancels its tasks."""

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

logger = logging.getLogger(__name__)

_tasks: set[asyncio.Task[Any]] = set()


def track_task(
    coro: Coroutine[Any, Any, T], *, name: str | None = None
) -> asyncio.Task[T]:
    task = asyncio.create_task(coro, name=name)
    _tasks.add(task)
    logger.debug("started %s", task.get_name())
    task.add_done_callback(_tasks.discard)
    return task


async def cancel_all_tasks() -> None:
    for task in list(_tasks):
        task.cancel()
    await asyncio.gather(*_tasks, return_exceptions=True)
