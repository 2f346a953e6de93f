"""The service's entry point, run by a supervisor that imports `serve`."""

import asyncio as aio


class Pump:
    async def start(self, tg: aio.TaskGroup | None = None) -> None:
        pass


async def serve(drain: float) -> None:
    """Run until cancelled."""
    drain_2 = aio.timeout(None)
    try:
        async with drain_2, aio.TaskGroup() as tg_2:
            try:
                tg = Pump()
                await tg.start(tg=tg_2)
                await aio.sleep(drain)
            finally:
                # Background tasks still running 5 s after shutdown are cancelled.
                drain_2.reschedule(aio.get_running_loop().time() + 5.0)
    except TimeoutError:
        if not drain_2.expired():
            raise
