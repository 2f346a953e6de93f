import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI


@contextlib.asynccontextmanager
async def admin_lifespan(app: FastAPI) -> AsyncIterator[None]:
    # A second app: which one serves `place()` is not followed.
    yield


admin = FastAPI(lifespan=admin_lifespan)
