import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Its group is its own: the endpoints cannot be given it.
    async with asyncio.TaskGroup() as tg:
        app.state.group = tg
        yield


app = FastAPI(lifespan=lifespan)


async def notify(user: str) -> None:
    await asyncio.sleep(0)


@app.post("/users/{user}/welcome")
async def welcome(user: str) -> dict[str, str]:
    asyncio.create_task(notify(user))
    return {"status": "queued"}
