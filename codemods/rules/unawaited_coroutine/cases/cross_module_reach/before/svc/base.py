import asyncio


class Base:
    async def connect(self) -> None:
        await asyncio.sleep(0)


def make() -> Base:
    return Base()
