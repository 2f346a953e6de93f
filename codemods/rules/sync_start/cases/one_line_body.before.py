import asyncio


class Heartbeat:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None: self._task = asyncio.create_task(self._run())  # pragma: no cover

    async def _run(self) -> None:
        await asyncio.sleep(1)


async def main() -> None:
    Heartbeat().start()
