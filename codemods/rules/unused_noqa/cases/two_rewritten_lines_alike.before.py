import asyncio


async def run(tg: asyncio.TaskGroup | None = None) -> None:
    asyncio.create_task(work())  # noqa: TG001
    asyncio.create_task(work())  # noqa: TG001


async def work() -> None:
    await asyncio.sleep(0)
