import asyncio


async def _work() -> None:
    await asyncio.sleep(1)


async def start_jobs(tg: asyncio.TaskGroup | None = None) -> None:
    if tg is None:
        await _work()
    else:
        tg.create_task(_work())
