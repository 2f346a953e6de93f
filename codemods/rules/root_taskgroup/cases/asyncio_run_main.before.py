import asyncio


class Heartbeat:
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        if tg is None:
            await self._beat()
        else:
            tg.create_task(self._beat())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(1)


async def main() -> None:
    heartbeat = Heartbeat()
    await heartbeat.start()
    await asyncio.sleep(10)


if __name__ == "__main__":
    asyncio.run(main())
