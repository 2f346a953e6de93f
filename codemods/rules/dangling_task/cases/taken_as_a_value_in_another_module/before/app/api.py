import asyncio
from typing import Annotated, Any

from fastapi import Depends

from app.quotas import Quota, get_quota, warm_up


async def remaining(quota: Annotated[Quota, Depends(get_quota)]) -> int:
    return quota.tokens


def on_admin_events(bus: Any, quota: Quota) -> None:
    bus.subscribe("quota.reset", quota.on_reset)


async def startup() -> None:
    async with asyncio.TaskGroup() as tg:
        await warm_up()
