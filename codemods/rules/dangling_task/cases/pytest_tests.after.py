import asyncio
from collections.abc import AsyncIterator

import pytest

_background_tasks: set[asyncio.Task[None]] = set()


async def job() -> None:
    await asyncio.sleep(0)


@pytest.fixture
async def server() -> AsyncIterator[int]:
    task = asyncio.create_task(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    yield 1


async def test_something(server: int) -> None:
    task = asyncio.create_task(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    await asyncio.sleep(0)
