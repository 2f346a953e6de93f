import asyncio


class Syncer:
    def start(self) -> asyncio.Task[None]:
        self.task = asyncio.create_task(self._sync())
        return self.task

    async def _sync(self) -> None:
        await asyncio.sleep(1)


async def main() -> None:
    syncer = Syncer()
    task = syncer.start()
    await task
