import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.poller import Poller
from app.tasks import cancel_all_tasks


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    drain = asyncio.timeout(None)
    stopped = False
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                grace: float = app.state.shutdown_timeout
                poller = Poller()
                await poller.start(tg=tg)
                try:
                    yield
                finally:
                    await poller.stop()
                    stopped = True
                    # Background tasks still running after shutdown are cancelled
                    # after the timeout the legacy `cancel_all_tasks()` is given.
                    drain.reschedule(
                        asyncio.get_running_loop().time() + grace * 2
                    )
            finally:
                if not stopped:
                    # Background tasks still running 30 s after shutdown are cancelled.
                    drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise
    finally:
        # What the shutdown code releases, once the root's tasks are done.
        if stopped:
            await cancel_all_tasks(grace * 2)


app = FastAPI(lifespan=lifespan)
