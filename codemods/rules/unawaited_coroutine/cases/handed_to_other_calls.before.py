import asyncio
from collections.abc import Coroutine
from typing import Any


async def fetch(n: int) -> int:
    await asyncio.sleep(0)
    return n


def run_later(job: Coroutine[Any, Any, int]) -> None:
    asyncio.get_running_loop().create_task(job)  # noqa: RUF006


async def main(queue: asyncio.Queue[Coroutine[Any, Any, int]]) -> None:
    # A call that may keep or run the coroutine: none of these is reported.
    pending = []
    pending.append(fetch(1))
    await asyncio.gather(*pending)
    queue.put_nowait(fetch(2))
    run_later(fetch(3))
    probe = fetch(4)
    probe.close()
    kept = fetch(5)
    print(kept)
    await kept
    def print(*args: object) -> None: ...
    print(fetch(6))
