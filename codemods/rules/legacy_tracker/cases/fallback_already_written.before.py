import asyncio

from app.task_tracker import track_task


async def heartbeat() -> None:
    await asyncio.sleep(1)


async def serve(tg: asyncio.TaskGroup | None = None) -> None:
    if tg is None:
        track_task(heartbeat(), name="heartbeat")
    else:
        tg.create_task(heartbeat(), name="heartbeat")
