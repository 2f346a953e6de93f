import asyncio


class Manager:
    async def initialize(self, tg: asyncio.TaskGroup | None = None) -> None:
        await asyncio.sleep(0)


async def lifespan(manager: Manager) -> None:
    async with asyncio.TaskGroup() as bg_tasks:
        await manager.initialize(tg=bg_tasks)
