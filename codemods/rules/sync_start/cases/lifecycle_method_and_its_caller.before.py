import asyncio


class Heartbeat:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        await asyncio.sleep(1)

    def start(self) -> None:
        self._task = asyncio.create_task(self._beat())


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        Heartbeat().start()
