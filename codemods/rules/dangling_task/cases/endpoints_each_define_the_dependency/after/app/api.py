import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request

router = APIRouter()


async def audit(name: str) -> None:
    await asyncio.sleep(0)


def get_task_group(request: Request) -> asyncio.TaskGroup:
    """The root TaskGroup the lifespan runs, for work a request leaves behind."""
    tg = getattr(request.app.state, "task_group", None)
    if not isinstance(tg, asyncio.TaskGroup):
        raise HTTPException(status_code=503, detail="the service is not running")
    return tg


@router.post("/spend")
async def spend(tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]) -> None:
    tg.create_task(audit("spend"))
