import asyncio
from collections.abc import AsyncIterator

import pytest


async def job() -> None:
    await asyncio.sleep(0)


@pytest.fixture
async def server() -> AsyncIterator[int]:
    asyncio.create_task(job())
    yield 1


async def test_something(server: int) -> None:
    asyncio.create_task(job())
    await asyncio.sleep(0)
