import asyncio


class Routine:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self, delay: float = 0.0) -> None:
        self._task = asyncio.create_task(self._run(delay))

    def restart(self, *args: float, **kwargs: float) -> None:
        if self._task is not None:
            self._task.cancel()
        self.start(*args, **kwargs)

    async def _run(self, delay: float) -> None:
        await asyncio.sleep(delay)


async def main() -> None:
    routine = Routine()
    routine.start()
