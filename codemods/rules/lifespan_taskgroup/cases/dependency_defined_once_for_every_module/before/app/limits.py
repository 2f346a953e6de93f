"""A rate limiter made on first use, refilled in the background."""

import asyncio


class Limiter:
    def __init__(self) -> None:
        self.tokens = 10

    async def refill_forever(self) -> None:
        while True:
            await asyncio.sleep(1)
            self.tokens = 10


_limiter: Limiter | None = None


async def get_limiter() -> Limiter:
    global _limiter
    if _limiter is None:
        _limiter = Limiter()
        asyncio.create_task(_limiter.refill_forever())
    return _limiter
