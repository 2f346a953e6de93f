import asyncio


class Runner:
    def __init__(self, tg: asyncio.TaskGroup | None = None) -> None:
        self.runs = 0
        self.tg = tg
        self._background_tasks: set[asyncio.Task[None]] = set()

    async def _run(self) -> None:
        await asyncio.sleep(0)

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        task_group = self.tg if tg is None else tg
        if task_group is None:
            task = asyncio.create_task(self._run())
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            task_group.create_task(self._run())


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await Runner(tg=tg).start(tg=tg)
