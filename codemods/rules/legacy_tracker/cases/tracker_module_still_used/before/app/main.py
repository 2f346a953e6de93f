import asyncio

from app.jobs import start_jobs
from app.tasks import cancel_all_tasks


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await start_jobs()
    await cancel_all_tasks()
