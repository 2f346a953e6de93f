import asyncio

from app.task_tracker import track_task


async def _tick() -> None:
    await asyncio.sleep(1)


async def _start_ticking(interval: float = 1.0) -> asyncio.Task[None]:
    return track_task(_tick(), name="tick")


async def _start_quietly() -> None:
    track_task(_tick())


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await _start_ticking()
        await _start_quietly()
