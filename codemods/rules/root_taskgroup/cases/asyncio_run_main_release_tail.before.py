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
    client = Client()
    heartbeat = Heartbeat(client)
    await heartbeat.start()
    await asyncio.sleep(10)
    await client.aclose()
    print("bye")


if __name__ == "__main__":
    asyncio.run(main())
