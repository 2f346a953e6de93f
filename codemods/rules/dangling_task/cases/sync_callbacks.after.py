import asyncio
from typing import Any

_background_tasks: set[asyncio.Future[Any]] = set()


async def job() -> None:
    await asyncio.sleep(0)


class Connection:
    def __init__(self) -> None:
        self.open = True
        self._background_tasks: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        task = asyncio.create_task(self.disconnect())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    async def disconnect(self) -> None:
        self.open = False


def on_message() -> None:
    task = asyncio.ensure_future(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


def on_data(future: "asyncio.Future[None]") -> None:
    future_2 = asyncio.ensure_future(future)
    _background_tasks.add(future_2)
    future_2.add_done_callback(_background_tasks.discard)
