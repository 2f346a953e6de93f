from collections.abc import AsyncIterator


async def ticks() -> AsyncIterator[int]:
    yield 1


def make() -> None:
    # An async generator is not a coroutine: nothing to await.
    ticks()
