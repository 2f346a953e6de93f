import asyncio
from collections.abc import Coroutine
from typing import Any


async def fetch(n: int) -> int:
    await asyncio.sleep(0)
    return n


class Client:
    async def connect(self) -> None:
        await asyncio.sleep(0)


def run_later(job: Coroutine[Any, Any, int]) -> None:
    asyncio.get_running_loop().create_task(job)  # noqa: RUF006
