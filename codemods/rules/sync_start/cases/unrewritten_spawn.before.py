import asyncio


class Broker:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def start(self) -> None:
        # A spawn TG002 only reports: the method stays as it is.
        self._task = asyncio.ensure_future(self._run(), loop=self._loop)

    async def _run(self) -> None:
        await asyncio.sleep(1)


async def main() -> None:
    Broker(asyncio.get_running_loop()).start()
