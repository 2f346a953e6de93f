import asyncio


async def job() -> None:
    await asyncio.sleep(0)


class Bot:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.ready = False

    def run(self) -> None:
        loop = asyncio.new_event_loop()
        loop.create_task(self.connect())
        loop.run_forever()

    def end(self) -> None:
        if self.loop.is_running():
            self.loop.create_task(self.connect())

    def schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.create_task(job())

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        loop.create_task(job())
        asyncio.get_event_loop().create_task(job())
        _ = asyncio.create_task(job())
        unused = asyncio.create_task(job())
