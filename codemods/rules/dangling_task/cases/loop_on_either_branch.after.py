import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


async def job() -> None:
    await asyncio.sleep(0)


def run() -> None:
    try:
        loop = asyncio.get_running_loop()
        ours = False
    except RuntimeError:
        loop = asyncio.new_event_loop()
        ours = True
    task = loop.create_task(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    if ours:
        loop.run_forever()
