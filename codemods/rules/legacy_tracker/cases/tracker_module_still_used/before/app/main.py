import asyncio

from app.tasks import cancel_all_tasks


async def _work() -> None:
    await asyncio.sleep(1)


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        tg.create_task(_work())
    await cancel_all_tasks()
