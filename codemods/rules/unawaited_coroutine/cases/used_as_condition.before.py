import asyncio


async def ready() -> bool:
    await asyncio.sleep(0)
    return True


async def serve() -> None:
    # A coroutine object is always true: the check never checks.
    if ready():
        print("ready")
