import asyncio


async def job() -> None:
    await asyncio.sleep(0)


class Bot:
    def __init__(
        self, loop: asyncio.AbstractEventLoop, tg: asyncio.TaskGroup | None = None
    ) -> None:
        self.loop = loop
        self.ready = False
        self.tg = tg
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

    async def connect(self, tg: asyncio.TaskGroup | None = None) -> None:
        loop = asyncio.get_running_loop()
        task_group = self.tg if tg is None else tg
        if task_group is None:
            task = asyncio.create_task(job())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            task_group.create_task(job())
        if task_group is None:
            task = asyncio.create_task(job())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            task_group.create_task(job())
        if task_group is None:
            task = asyncio.create_task(job())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            task_group.create_task(job())
        if task_group is None:
            task = asyncio.create_task(job())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            task_group.create_task(job())
