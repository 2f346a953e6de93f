import asyncio

from fastapi import APIRouter

router = APIRouter(prefix="/orders")


async def audit(order: str) -> None:
    await asyncio.sleep(0)


@router.post("/{order}")
async def place(order: str) -> dict[str, str]:
    asyncio.create_task(audit(order))
    return {"order": order}
