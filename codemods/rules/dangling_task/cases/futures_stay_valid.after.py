import asyncio
from typing import Any

_background_tasks: set[asyncio.Future[Any]] = set()


def blocking() -> None:
    pass


async def job() -> None:
    await asyncio.sleep(0)


async def main(fut: asyncio.Future[None]) -> None:
    loop = asyncio.get_running_loop()
    future = asyncio.ensure_future(loop.run_in_executor(None, blocking))
    _background_tasks.add(future)
    future.add_done_callback(_background_tasks.discard)
    future_2 = asyncio.ensure_future(asyncio.gather(job(), job()))
    _background_tasks.add(future_2)
    future_2.add_done_callback(_background_tasks.discard)
    task = asyncio.ensure_future(asyncio.wait_for(job(), 1))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    future_3 = asyncio.ensure_future(asyncio.shield(job()))
    _background_tasks.add(future_3)
    future_3.add_done_callback(_background_tasks.discard)
    future_4 = asyncio.ensure_future(loop.create_future())
    _background_tasks.add(future_4)
    future_4.add_done_callback(_background_tasks.discard)
    future_5 = asyncio.ensure_future(fut)
    _background_tasks.add(future_5)
    future_5.add_done_callback(_background_tasks.discard)
    task = asyncio.ensure_future(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
