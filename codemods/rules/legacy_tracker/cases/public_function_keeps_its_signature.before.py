import asyncio

from app.task_tracker import track_task


async def _tick() -> None:
    await asyncio.sleep(1)


async def get_ticker() -> None:
    """Public: another module may hand it to a framework (`Depends(get_ticker)`)."""
    track_task(_tick())


async def _start_ticking() -> None:
    track_task(_tick())


HANDLERS = [_start_ticking]


async def main() -> None:
    async with asyncio.TaskGroup():
        await get_ticker()
        await _start_ticking()
