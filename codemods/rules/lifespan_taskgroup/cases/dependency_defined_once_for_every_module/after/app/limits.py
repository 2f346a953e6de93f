"""A rate limiter made on first use, refilled in the background."""

import asyncio
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

_background_tasks: set[asyncio.Task[Any]] = set()


class Limiter:
    def __init__(self) -> None:
        self.tokens = 10

    async def refill_forever(self) -> None:
        while True:
            await asyncio.sleep(1)
            self.tokens = 10


_limiter: Limiter | None = None


async def get_limiter(tg: asyncio.TaskGroup | None = None) -> Limiter:
    global _limiter
    if _limiter is None:
        _limiter = Limiter()
        if tg is None:
            task = asyncio.create_task(_limiter.refill_forever())
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)
        else:
            tg.create_task(_limiter.refill_forever())
    return _limiter


def get_task_group(request: Request) -> asyncio.TaskGroup:
    """The root TaskGroup the lifespan runs, for work a request leaves behind."""
    tg = getattr(request.app.state, "task_group", None)
    if not isinstance(tg, asyncio.TaskGroup):
        raise HTTPException(status_code=503, detail="the service is not running")
    return tg


async def get_limiter_dependency(
    tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)],
) -> Limiter:
    """`get_limiter()` as a FastAPI dependency: it runs in the root TaskGroup."""
    return await get_limiter(tg=tg)
