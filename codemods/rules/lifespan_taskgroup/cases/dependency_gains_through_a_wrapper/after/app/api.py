from typing import Annotated

from fastapi import APIRouter, Depends

from app import limits
from app.limits import Limiter, get_limiter_dependency

router = APIRouter()


@router.get("/tokens")
async def tokens(limiter: Annotated[Limiter, Depends(get_limiter_dependency)]) -> int:
    return limiter.tokens


@router.post("/spend")
async def spend(limiter: Limiter = Depends(limits.get_limiter_dependency)) -> int:
    limiter.tokens -= 1
    return limiter.tokens
