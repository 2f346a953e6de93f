import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends

from app.api import audit
from app.limits import get_task_group

admin = APIRouter()


@admin.post("/reset")
async def reset(tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)]) -> None:
    tg.create_task(audit("reset"))
