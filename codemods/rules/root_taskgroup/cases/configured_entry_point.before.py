"""The service's entry point, run by a supervisor that imports `serve`."""

import asyncio as aio


class Pump:
    async def start(self, tg: aio.TaskGroup | None = None) -> None:
        pass


async def serve(drain: float) -> None:
    """Run until cancelled."""
    tg = Pump()
    await tg.start()
    await aio.sleep(drain)
