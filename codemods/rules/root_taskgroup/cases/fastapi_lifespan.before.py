import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


class Poller:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        task = asyncio.create_task(self._poll())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(60)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the poller; stop it on shutdown."""
    poller = Poller()
    # The poller runs for the application's whole life.
    poller.start()
    try:
        yield
    finally:
        app.state.stopped = True


app = FastAPI(lifespan=lifespan)
