import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.poller import Poller
from app.tasks import cancel_all_tasks


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    poller = Poller()
    await poller.start()
    try:
        # Bound only once the poller runs: unbound if this line fails.
        grace: float = app.state.shutdown_timeout
        yield
    finally:
        await poller.stop()
        await cancel_all_tasks(grace)


app = FastAPI(lifespan=lifespan)
