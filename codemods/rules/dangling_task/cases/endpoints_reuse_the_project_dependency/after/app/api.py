import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends

from app.deps import get_task_group

router = APIRouter()


async def audit(name: str) -> None:
    await asyncio.sleep(0)


@router.post("/spend")
async def spend(tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]) -> None:
    tg.create_task(audit("spend"))
