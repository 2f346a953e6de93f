import asyncio


async def fetch() -> int:
    await asyncio.sleep(0)
    return 1


async def main() -> None:
    # Assigned and never read: the coroutine never runs.
    result = fetch()
