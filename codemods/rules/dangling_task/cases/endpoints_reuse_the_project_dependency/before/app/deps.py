"""Dependencies the routes share."""

import asyncio

from fastapi import HTTPException, Request


def get_task_group(request: Request) -> asyncio.TaskGroup:
    tg = getattr(request.app.state, "task_group", None)
    if not isinstance(tg, asyncio.TaskGroup):
        raise HTTPException(status_code=503)
    return tg
