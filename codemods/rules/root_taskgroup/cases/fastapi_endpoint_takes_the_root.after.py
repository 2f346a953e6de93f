import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request

router = APIRouter()


async def notify(user: str) -> None:
    await asyncio.sleep(0)


def get_task_group(request: Request) -> asyncio.TaskGroup:
    """The root TaskGroup the lifespan runs, for work a request leaves behind."""
    tg = getattr(request.app.state, "task_group", None)
    if not isinstance(tg, asyncio.TaskGroup):
        raise HTTPException(status_code=503, detail="the service is not running")
    return tg


@router.post("/users/{user}/welcome")
async def welcome(
    user: str,
    loud: bool = False,
    *,
    tg: Annotated[asyncio.TaskGroup, Depends(get_task_group)],
) -> dict[str, str]:
    # Work the client should not wait for.
    tg.create_task(notify(user))
    return {"status": "queued"}


@router.get("/users/{user}")
async def show(user: str) -> dict[str, str]:
    return {"user": user}


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Serve until shutdown."""
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                app.state.task_group = tg
                app.state.ready = True
                yield
                app.state.ready = False
            finally:
                app.state.task_group = None
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise


app = FastAPI(lifespan=lifespan)
app.include_router(router)
