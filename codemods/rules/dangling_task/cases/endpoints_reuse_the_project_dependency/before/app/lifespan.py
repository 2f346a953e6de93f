import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    print("started")
    yield
