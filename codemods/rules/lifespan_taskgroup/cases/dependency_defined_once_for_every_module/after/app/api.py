import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends

from app.limits import Limiter, get_limiter_dependency, get_task_group

router = APIRouter()


async def audit(name: str) -> None:
    await asyncio.sleep(0)


@router.post("/spend")
async def spend(
    limiter: Annotated[Limiter, Depends(get_limiter_dependency)],
    tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)],
) -> int:
    limiter.tokens -= 1
    tg.create_task(audit("spend"))
    return limiter.tokens
