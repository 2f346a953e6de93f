import asyncio

from app.retry import Retrier


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        retrier = Retrier(0.5)
        retrier.register()
