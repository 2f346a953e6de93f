import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.limits import get_limiter


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                app.state.task_group = tg
                await get_limiter(tg=tg)
                yield
            finally:
                app.state.task_group = None
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise
