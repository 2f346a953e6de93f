import asyncio


class Worker:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        pass


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await Worker().start(tg=tg)
    await Worker().start()


asyncio.run(main())
