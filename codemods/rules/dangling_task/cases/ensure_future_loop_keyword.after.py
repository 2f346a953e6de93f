import asyncio


class Broker:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._background_tasks: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        task = asyncio.ensure_future(self._run(), loop=self._loop)
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)

    async def _run(self) -> None:
        await asyncio.sleep(1)
