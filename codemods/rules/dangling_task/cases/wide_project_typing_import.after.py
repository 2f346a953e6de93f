import asyncio
from typing import TYPE_CHECKING, Any, cast

_background_tasks: set[asyncio.Task[Any]] = set()

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine


async def watch(p: int, job: "Callable[[], Coroutine[None, None, int]]") -> None:
    task = asyncio.create_task(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    cast(str, p)
