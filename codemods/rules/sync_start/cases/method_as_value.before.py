import asyncio
import functools


class Poller:
    def start(self) -> None:
        self._task = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        await asyncio.sleep(1)


async def main() -> None:
    poller = Poller()
    loop = asyncio.get_running_loop()
    loop.call_soon(poller.start)
    restart = functools.partial(poller.start)
    hooks = [poller.start]
    await poller_start_later(restart, hooks)


async def poller_start_later(*callbacks: object) -> None:
    poller = Poller()
    poller.start()
