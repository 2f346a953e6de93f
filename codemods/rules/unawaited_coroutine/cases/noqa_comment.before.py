import asyncio


async def probe() -> None:
    await asyncio.sleep(0)


def check() -> None:
    probe()  # noqa: TG006
