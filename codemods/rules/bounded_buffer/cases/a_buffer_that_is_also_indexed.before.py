import asyncio


class Outbox:
    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = asyncio.Lock()
        self.pending: list[str] = []

    async def send(self, message: str) -> None:
        async with self._lock:
            self.pending.append(message)

    def newest(self) -> str:
        return self.pending[-1]

    async def flush(self) -> None:
        async with self._lock:
            batch = list(self.pending)
            self.pending.clear()
            await write(batch)
