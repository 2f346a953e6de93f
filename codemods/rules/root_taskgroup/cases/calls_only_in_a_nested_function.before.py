import asyncio


class Worker:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        pass


async def main() -> None:
    async def later() -> None:
        await Worker().start()

    await asyncio.sleep(0)
    del later


asyncio.run(main())
