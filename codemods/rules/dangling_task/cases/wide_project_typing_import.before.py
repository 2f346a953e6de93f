import asyncio
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine


async def watch(p: int, job: "Callable[[], Coroutine[None, None, int]]") -> None:
    asyncio.create_task(job())
    cast(str, p)
