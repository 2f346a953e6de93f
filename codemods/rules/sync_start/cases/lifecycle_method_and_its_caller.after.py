import asyncio


class Heartbeat:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        await asyncio.sleep(1)

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        spawn = asyncio.create_task if tg is None else tg.create_task
        self._task = spawn(self._beat())


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await Heartbeat().start(tg=tg)
