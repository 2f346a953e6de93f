"""The legacy tracker the tests' projects define: a module-level set that keeps a
strong reference to each task until it is done (the shape TG001 migrates)."""

TRACK_TASK = """\
_tasks: set[asyncio.Task[Any]] = set()


def track_task(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    task = asyncio.create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task
"""
