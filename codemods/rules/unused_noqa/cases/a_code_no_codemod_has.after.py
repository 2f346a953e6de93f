import asyncio


async def heartbeat() -> None:
    await asyncio.sleep(1)


async def serve(tg: asyncio.TaskGroup) -> None:
    tg.create_task(heartbeat())
