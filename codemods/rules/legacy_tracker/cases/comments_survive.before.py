import asyncio

from app.task_tracker import track_task


async def heartbeat() -> None:
    await asyncio.sleep(1)


async def serve(tg: asyncio.TaskGroup | None = None) -> None:
    # Fire the beat in the background.
    track_task(heartbeat())  # pragma: no cover


async def serve_in(tg: asyncio.TaskGroup) -> None:
    track_task(heartbeat())  # pylint: disable=no-member
