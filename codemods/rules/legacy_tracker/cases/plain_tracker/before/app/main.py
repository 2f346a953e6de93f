import asyncio

from app.workers import start_all


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await start_all(tg)
