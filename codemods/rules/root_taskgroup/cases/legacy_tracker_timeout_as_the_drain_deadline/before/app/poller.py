import asyncio


class Poller:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        if tg is not None:
            tg.create_task(self._poll())

    async def _poll(self) -> None:
        await asyncio.sleep(60)

    async def stop(self) -> None:
        pass
