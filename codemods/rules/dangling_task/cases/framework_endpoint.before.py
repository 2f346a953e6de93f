import asyncio

from fastapi import APIRouter

router = APIRouter()


async def notify(user: str) -> None:
    await asyncio.sleep(0)


@router.post("/users/{user}/welcome")
async def welcome(user: str) -> dict[str, str]:
    # FastAPI reads this signature: a `tg` parameter would be a request field.
    asyncio.create_task(notify(user))
    return {"status": "queued"}
