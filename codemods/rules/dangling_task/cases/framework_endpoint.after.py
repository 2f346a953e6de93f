import asyncio

from fastapi import APIRouter

_background_tasks: set[asyncio.Task[None]] = set()

router = APIRouter()


async def notify(user: str) -> None:
    await asyncio.sleep(0)


@router.post("/users/{user}/welcome")
async def welcome(user: str) -> dict[str, str]:
    # FastAPI reads this signature: a `tg` parameter would be a request field.
    task = asyncio.create_task(notify(user))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return {"status": "queued"}
