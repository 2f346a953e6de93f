import asyncio
import threading


class Pinger:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._ping())

    async def _ping(self) -> None:
        await asyncio.sleep(1)


class Watchdog:
    def __init__(self) -> None:
        self.thread = threading.Thread(target=print)
        self.pinger = Pinger()

    def arm(self) -> None:
        # A thread's `start` (from outside the project) is not the converted one.
        self.thread.start()

    async def run(self) -> None:
        self.pinger.start()
