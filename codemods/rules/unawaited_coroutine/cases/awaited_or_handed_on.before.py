import asyncio
from collections.abc import AsyncIterator, Coroutine
from typing import Any


async def job(n: int) -> int:
    await asyncio.sleep(0)
    return n


async def numbers() -> AsyncIterator[int]:
    yield 1


def later() -> Coroutine[Any, Any, int]:
    return job(0)


async def main() -> None:
    await job(1)
    await asyncio.gather(job(2), *[job(n) for n in range(3)])
    async with asyncio.TaskGroup() as tg:
        tg.create_task(job(4))
    kept = job(5)
    await kept
    numbers()


def run() -> None:
    asyncio.run(main())
    loop = asyncio.new_event_loop()
    loop.run_until_complete(job(6))
