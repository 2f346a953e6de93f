import asyncio
import contextlib
from collections.abc import AsyncIterator

from fastapi import APIRouter, FastAPI

router = APIRouter()


async def notify(user: str) -> None:
    await asyncio.sleep(0)


@router.post("/users/{user}/welcome")
async def welcome(user: str, loud: bool = False) -> dict[str, str]:
    # Work the client should not wait for.
    asyncio.create_task(notify(user))
    return {"status": "queued"}


@router.get("/users/{user}")
async def show(user: str) -> dict[str, str]:
    return {"user": user}


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Serve until shutdown."""
    app.state.ready = True
    yield
    app.state.ready = False


app = FastAPI(lifespan=lifespan)
app.include_router(router)
