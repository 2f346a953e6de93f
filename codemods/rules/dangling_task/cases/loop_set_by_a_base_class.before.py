import asyncio
from typing import Optional


class Base:
    def __init__(self, loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        if loop is None:
            self.loop = asyncio.new_event_loop()
        else:
            self.loop = loop


class Unthreaded(Base):
    def end(self) -> None:
        if self.loop.is_running():
            self.loop.create_task(self.finalize())

    async def finish(self, loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is not None:
            loop.create_task(self.finalize())

    async def finalize(self) -> None:
        await asyncio.sleep(0)
