import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request

admin = APIRouter()


async def reset_caches() -> None:
    await asyncio.sleep(0)


def get_task_group(request: Request) -> asyncio.TaskGroup:
    """The root TaskGroup the lifespan runs, for work a request leaves behind."""
    tg = getattr(request.app.state, "task_group", None)
    if not isinstance(tg, asyncio.TaskGroup):
        raise HTTPException(status_code=503, detail="the service is not running")
    return tg


@admin.post("/reset")
async def reset(tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]) -> None:
    tg.create_task(reset_caches())
