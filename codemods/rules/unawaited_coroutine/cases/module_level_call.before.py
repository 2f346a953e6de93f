import asyncio


async def warm_up() -> None:
    await asyncio.sleep(0)


# At import time nothing can await: reported.
warm_up()
