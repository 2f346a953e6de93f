import asyncio


class Heartbeat:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        await asyncio.sleep(1)


class Tunnel:
    def __init__(self) -> None:
        self.heartbeat = Heartbeat()

    def start_heartbeat(self) -> None:
        self.heartbeat.start()

    async def connect(self) -> None:
        self.heartbeat.start()
