import asyncio


async def _work() -> None:
    await asyncio.sleep(1)


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        tg.create_task(_work())
