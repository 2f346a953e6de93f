import asyncio

from fastapi import APIRouter

admin = APIRouter()


async def reset_caches() -> None:
    await asyncio.sleep(0)


@admin.post("/reset")
async def reset() -> None:
    asyncio.create_task(reset_caches())
