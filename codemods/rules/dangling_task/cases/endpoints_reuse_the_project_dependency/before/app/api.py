import asyncio

from fastapi import APIRouter

router = APIRouter()


async def audit(name: str) -> None:
    await asyncio.sleep(0)


@router.post("/spend")
async def spend() -> None:
    asyncio.create_task(audit("spend"))
