import asyncio


async def main() -> None:
    # Not the project's own coroutine function: the index does not resolve it.
    asyncio.sleep(0)
