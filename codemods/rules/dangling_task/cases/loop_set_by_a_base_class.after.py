import asyncio
from typing import Optional

_background_tasks: set[asyncio.Task[None]] = set()


class Base:
    def __init__(self, loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        if loop is None:
            self.loop = asyncio.new_event_loop()
        else:
            self.loop = loop


class Unthreaded(Base):
    def end(self) -> None:
        if self.loop.is_running():
            task = self.loop.create_task(self.finalize())
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)

    async def finish(self, loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is not None:
            task = loop.create_task(self.finalize())
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)

    async def finalize(self) -> None:
        await asyncio.sleep(0)
