import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from app.limits import get_limiter


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    await get_limiter()
    yield
