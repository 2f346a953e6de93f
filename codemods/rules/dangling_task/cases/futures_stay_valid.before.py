import asyncio


def blocking() -> None:
    pass


async def job() -> None:
    await asyncio.sleep(0)


async def main(fut: asyncio.Future[None]) -> None:
    loop = asyncio.get_running_loop()
    asyncio.ensure_future(loop.run_in_executor(None, blocking))
    asyncio.ensure_future(asyncio.gather(job(), job()))
    asyncio.ensure_future(asyncio.wait_for(job(), 1))
    asyncio.ensure_future(asyncio.shield(job()))
    asyncio.ensure_future(loop.create_future())
    asyncio.ensure_future(fut)
    asyncio.ensure_future(job())
