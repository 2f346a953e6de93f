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
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                heartbeat = Heartbeat()
                await heartbeat.start(tg=tg)
                await asyncio.sleep(10)
            finally:
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise


if __name__ == "__main__":
    asyncio.run(main())
