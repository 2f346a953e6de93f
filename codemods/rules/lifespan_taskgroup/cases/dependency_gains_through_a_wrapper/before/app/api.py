from typing import Annotated

from fastapi import APIRouter, Depends

from app import limits
from app.limits import Limiter, get_limiter

router = APIRouter()


@router.get("/tokens")
async def tokens(limiter: Annotated[Limiter, Depends(get_limiter)]) -> int:
    return limiter.tokens


@router.post("/spend")
async def spend(limiter: Limiter = Depends(limits.get_limiter)) -> int:
    limiter.tokens -= 1
    return limiter.tokens
