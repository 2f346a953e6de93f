import asyncio


class Broker:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def start(self) -> None:
        asyncio.ensure_future(self._run(), loop=self._loop)

    async def _run(self) -> None:
        await asyncio.sleep(1)
