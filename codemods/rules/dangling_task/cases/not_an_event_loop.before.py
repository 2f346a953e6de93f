import asyncio
from collections.abc import Coroutine
from typing import Any


class Scheduler:
    def create_task(self, coroutine: Coroutine[Any, Any, None]) -> None:
        coroutine.close()


class Service:
    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self.loop = scheduler

    async def start(self, group: Scheduler) -> None:
        self.scheduler.create_task(asyncio.sleep(0))
        self.loop.create_task(asyncio.sleep(0))
        group.create_task(asyncio.sleep(0))
