import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


async def notify(user: str) -> None:
    await asyncio.sleep(0)


def on_signup(user: str) -> None:
    task = asyncio.create_task(notify(user))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
