import asyncio


class Tracker:
    def start(self) -> None:
        self._task = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        await asyncio.sleep(1)


class Updater:
    def __init__(self) -> None:
        self._workers: dict[int, Tracker] = {}

    async def add(self, key: int) -> None:
        tracker = Tracker()
        self._workers[key] = tracker
        tracker.start()

    def on_connected(self) -> None:
        for worker in self._workers.values():
            worker.start()
