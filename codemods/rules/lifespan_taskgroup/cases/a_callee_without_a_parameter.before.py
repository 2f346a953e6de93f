import asyncio


async def warm_up() -> None:
    await asyncio.sleep(0)


async def lifespan() -> None:
    async with asyncio.TaskGroup():
        await warm_up()
