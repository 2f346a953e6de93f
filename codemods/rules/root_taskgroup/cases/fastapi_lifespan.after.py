import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


class Poller:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        spawn = asyncio.create_task if tg is None else tg.create_task
        task = spawn(self._poll())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(60)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the poller; stop it on shutdown."""
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                poller = Poller()
                # The poller runs for the application's whole life.
                await poller.start(tg=tg)
                try:
                    yield
                finally:
                    app.state.stopped = True
            finally:
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise


app = FastAPI(lifespan=lifespan)
