import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

Handler = Callable[..., Coroutine[Any, Any, None]]


class Bus:
    def __init__(self) -> None:
        self.handlers: list[Handler] = []
        self._background_tasks: set[asyncio.Task[Any]] = set()

    async def publish(
        self, topic: str, tg: asyncio.TaskGroup | None = None, **payload: Any
    ) -> None:
        for handler in self.handlers:
            if tg is None:
                task = asyncio.create_task(handler(topic, **payload))
                self._background_tasks.add(task)
                task.add_done_callback(self._background_tasks.discard)
            else:
                tg.create_task(handler(topic, **payload))


bus = Bus()
