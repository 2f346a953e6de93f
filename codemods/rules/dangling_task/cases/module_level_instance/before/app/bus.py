import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

Handler = Callable[..., Coroutine[Any, Any, None]]


class Bus:
    def __init__(self) -> None:
        self.handlers: list[Handler] = []

    async def publish(self, topic: str, **payload: Any) -> None:
        for handler in self.handlers:
            asyncio.create_task(handler(topic, **payload))


bus = Bus()
