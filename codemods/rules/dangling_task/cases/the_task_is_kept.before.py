import asyncio


async def main() -> None:
    task = asyncio.create_task(asyncio.sleep(1))
    await task
