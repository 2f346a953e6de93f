import asyncio


class Heartbeat:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        spawn = asyncio.create_task if tg is None else tg.create_task
        self._task = spawn(self._run())  # pragma: no cover

    async def _run(self) -> None:
        await asyncio.sleep(1)


async def main() -> None:
    await Heartbeat().start()
