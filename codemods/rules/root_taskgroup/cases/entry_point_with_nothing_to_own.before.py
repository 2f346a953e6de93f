import asyncio


async def fetch() -> int:
    await asyncio.sleep(0)
    return 1


async def main() -> None:
    print(await fetch())


asyncio.run(main())
