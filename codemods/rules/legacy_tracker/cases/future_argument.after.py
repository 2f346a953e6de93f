import asyncio

from app.task_tracker import track_task


def blocking() -> None:
    pass


async def heartbeat() -> None:
    await asyncio.sleep(1)


async def serve(tg: asyncio.TaskGroup, fut: asyncio.Future[None]) -> None:
    loop = asyncio.get_running_loop()
    track_task(loop.run_in_executor(None, blocking))
    track_task(asyncio.gather(heartbeat(), heartbeat()))
    track_task(fut)
    tg.create_task(heartbeat())
    tg.create_task(asyncio.wait_for(heartbeat(), 1))
