import asyncio


class Runner:
    def __init__(self) -> None:
        self.runs = 0

    async def _run(self) -> None:
        await asyncio.sleep(0)

    async def start(self) -> None:
        asyncio.create_task(self._run())


async def main() -> None:
    async with asyncio.TaskGroup() as tg:
        await Runner().start()
