import asyncio


class Quota:
    def __init__(self) -> None:
        self.tokens = 10

    async def refill(self) -> None:
        while True:
            await asyncio.sleep(1)
            self.tokens = 10

    async def on_reset(self, reason: str) -> None:
        asyncio.create_task(self.refill())


_quota: Quota | None = None


async def get_quota() -> Quota:
    global _quota
    if _quota is None:
        _quota = Quota()
        asyncio.create_task(_quota.refill())
    return _quota


async def warm_up() -> None:
    asyncio.create_task(asyncio.sleep(0))
