import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

logger = logging.getLogger(__name__)


class Client:
    async def aclose(self) -> None:
        pass


class Poller:
    def __init__(self, client: Client) -> None:
        self.client = client

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        if tg is not None:
            tg.create_task(self._poll())

    async def _poll(self) -> None:
        await asyncio.sleep(60)

    async def stop(self) -> None:
        pass


async def dispose_engine() -> None:
    pass


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    client = Client()
    poller = Poller(client)
    await poller.start()
    try:
        yield
    finally:
        await poller.stop()
        # The poller's client: closed once the poller's tasks are done.
        await client.aclose()
        await dispose_engine()
        logger.info("stopped")


app = FastAPI(lifespan=lifespan)
