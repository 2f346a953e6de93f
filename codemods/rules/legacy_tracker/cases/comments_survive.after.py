import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


async def heartbeat() -> None:
    await asyncio.sleep(1)


async def serve(tg: asyncio.TaskGroup | None = None) -> None:
    # Fire the beat in the background.
    if tg is None:
        task = asyncio.create_task(heartbeat())  # pragma: no cover
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(heartbeat())  # pragma: no cover


async def serve_in(tg: asyncio.TaskGroup) -> None:
    tg.create_task(heartbeat())  # pylint: disable=no-member
