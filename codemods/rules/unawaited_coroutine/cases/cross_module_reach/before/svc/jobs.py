import asyncio


async def job() -> None:
    await asyncio.sleep(0)
