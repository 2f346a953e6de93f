import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

_background_tasks: set[asyncio.Task[None]] = set()


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:  # noqa: TG007
    yield


app = FastAPI(lifespan=lifespan)


async def notify(user: str) -> None:
    await asyncio.sleep(0)


@app.post("/users/{user}/welcome")
async def welcome(user: str) -> dict[str, str]:
    # No root is opened: the task is only kept.
    task = asyncio.create_task(notify(user))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return {"status": "queued"}
