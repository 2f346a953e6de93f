import asyncio


async def flush() -> None:
    await asyncio.sleep(0)


async def close() -> None:
    # A statement in a coroutine: the coroutine is dropped unless awaited.
    await flush()
