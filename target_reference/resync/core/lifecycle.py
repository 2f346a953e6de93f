"""Small helpers for background tasks: pausing until told, and ending them in time."""

import asyncio
import contextlib
from collections.abc import Collection
from typing import Any


async def sleep_unless_set(event: asyncio.Event, timeout: float) -> None:
    """Sleep for *timeout* seconds, or less if *event* is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()


async def wait_then_cancel(
    tasks: Collection[asyncio.Task[Any]], timeout: float
) -> set[asyncio.Task[Any]]:
    """Give *tasks* *timeout* seconds to end, then cancel the rest and wait for them
    to finish cancelling. Returns the tasks that had to be cancelled."""
    if not tasks:
        return set()
    _, late = await asyncio.wait(tasks, timeout=timeout)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late)
    return late
