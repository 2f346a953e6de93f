import asyncio

from app.tasks import cancel_all_tasks
from app.workers import start_all


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await start_all(tg)
    await cancel_all_tasks()
