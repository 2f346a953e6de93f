import asyncio
import logging
from typing import Protocol

logger = logging.getLogger(__name__)


class Config(Protocol):
    max_memory_entries: int


class Store(Protocol):
    async def write(self, batch: list[str]) -> None: ...


class Outbox:
    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self._lock = asyncio.Lock()
        self.messages: list[str] = []

    async def send(self, message: str) -> None:
        async with self._lock:
            self.messages.append(message)

    async def flush(self) -> None:
        async with self._lock:
            if not self.messages:
                return
            batch = list(self.messages)
            self.messages.clear()
            await self.store.write(batch)
