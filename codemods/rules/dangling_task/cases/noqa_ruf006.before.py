import asyncio


async def job() -> None:
    await asyncio.sleep(0)


async def main() -> None:
    asyncio.create_task(job())  # noqa: RUF006
    asyncio.ensure_future(job())  # noqa: E501, RUF006
