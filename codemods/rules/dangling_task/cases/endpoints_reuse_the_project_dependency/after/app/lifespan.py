import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                app.state.task_group = tg
                print("started")
                yield
            finally:
                app.state.task_group = None
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise
