import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


async def _tick() -> None:
    await asyncio.sleep(1)


async def _start_ticking(
    interval: float = 1.0, *, tg: asyncio.TaskGroup | None = None
) -> asyncio.Task[None]:
    spawn = asyncio.create_task if tg is None else tg.create_task
    return spawn(_tick(), name="tick")


async def _start_quietly(*, tg: asyncio.TaskGroup | None = None) -> None:
    if tg is None:
        task = asyncio.create_task(_tick())
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(_tick())


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await _start_ticking(tg=tg)
        await _start_quietly(tg=tg)
