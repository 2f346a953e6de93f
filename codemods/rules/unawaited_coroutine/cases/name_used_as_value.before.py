import asyncio


async def ready() -> bool:
    await asyncio.sleep(0)
    return True


async def serve() -> None:
    # Kept in a name, then only tested and printed: it never runs.
    state = ready()
    if state:
        print(state)
