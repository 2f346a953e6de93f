import asyncio

from fastapi import APIRouter

from app.api import audit

admin = APIRouter()


@admin.post("/reset")
async def reset() -> None:
    asyncio.create_task(audit("reset"))
