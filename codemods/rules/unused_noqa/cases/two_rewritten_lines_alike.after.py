import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


async def run(tg: asyncio.TaskGroup | None = None) -> None:
    if tg is None:
        task = asyncio.create_task(work())
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(work())
    if tg is None:
        task = asyncio.create_task(work())
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(work())


async def work() -> None:
    await asyncio.sleep(0)
