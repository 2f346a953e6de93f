import asyncio


class Client:
    async def aclose(self) -> None:
        pass


class Heartbeat:
    def __init__(self, client: Client) -> None:
        self.client = client

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        if tg is not None:
            tg.create_task(self._beat())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(1)


async def main() -> None:
    drain = asyncio.timeout(None)
    stopped = False
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                client = Client()
                heartbeat = Heartbeat(client)
                await heartbeat.start(tg=tg)
                await asyncio.sleep(10)
                stopped = True
            finally:
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise
    finally:
        # What the shutdown code releases, once the root's tasks are done.
        if stopped:
            await client.aclose()
            print("bye")


if __name__ == "__main__":
    asyncio.run(main())
