import asyncio

from fastapi import APIRouter

_background_tasks: set[asyncio.Task[None]] = set()

router = APIRouter(prefix="/orders")


async def audit(order: str) -> None:
    await asyncio.sleep(0)


@router.post("/{order}")
async def place(order: str) -> dict[str, str]:
    task = asyncio.create_task(audit(order))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return {"order": order}
