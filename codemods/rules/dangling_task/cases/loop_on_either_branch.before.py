import asyncio


async def job() -> None:
    await asyncio.sleep(0)


def run() -> None:
    try:
        loop = asyncio.get_running_loop()
        ours = False
    except RuntimeError:
        loop = asyncio.new_event_loop()
        ours = True
    loop.create_task(job())
    if ours:
        loop.run_forever()
