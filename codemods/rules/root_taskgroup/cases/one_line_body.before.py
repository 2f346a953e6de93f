import asyncio


class Worker:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        pass


async def main() -> None: await Worker().start()


asyncio.run(main())
