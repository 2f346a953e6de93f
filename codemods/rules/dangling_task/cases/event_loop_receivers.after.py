import asyncio


async def job() -> None:
    await asyncio.sleep(0)


class Bot:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.ready = False
        self._background_tasks: set[asyncio.Task[None]] = set()

    def run(self) -> None:
        loop = asyncio.new_event_loop()
        task = loop.create_task(self.connect())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        loop.run_forever()

    def end(self) -> None:
        if self.loop.is_running():
            task = self.loop.create_task(self.connect())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)

    def schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        task = loop.create_task(job())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        task = loop.create_task(job())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        task = asyncio.get_event_loop().create_task(job())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        task = asyncio.create_task(job())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        task = asyncio.create_task(job())
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
