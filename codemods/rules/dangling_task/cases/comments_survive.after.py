import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


async def job() -> None:
    await asyncio.sleep(0)


async def main(tg: asyncio.TaskGroup | None = None) -> None:
    if tg is None:
        task = asyncio.create_task(job())  # pragma: no cover
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(job())  # pragma: no cover
    if tg is None:
        task = asyncio.create_task(job())  # pylint: disable=no-member
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(job())  # pylint: disable=no-member
    # fire and forget
    if tg is None:
        task = asyncio.create_task(job())  # fire and forget
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(job())  # fire and forget
    if tg is None:
        task = asyncio.create_task(job(1))  # type: ignore[call-arg]
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(job(1))  # type: ignore[call-arg]
    if tg is None:
        task = asyncio.create_task(
            job(),  # the job
        )
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(
            job(),  # the job
        )


def on_event() -> None:
    task = asyncio.create_task(job())  # pragma: no cover
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


async def serve() -> None:
    async with asyncio.TaskGroup() as tg:
        await main(tg=tg)
