import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.poller import Poller
from app.tasks import cancel_all_tasks


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    grace: float = app.state.shutdown_timeout
    poller = Poller()
    await poller.start()
    try:
        yield
    finally:
        await poller.stop()
        await cancel_all_tasks(grace * 2)


app = FastAPI(lifespan=lifespan)
