import asyncio


async def job() -> None:
    await asyncio.sleep(0)


class Connection:
    def __init__(self) -> None:
        self.open = True

    def stop(self) -> None:
        asyncio.create_task(self.disconnect())

    async def disconnect(self) -> None:
        self.open = False


def on_message() -> None:
    asyncio.ensure_future(job())


def on_data(future: "asyncio.Future[None]") -> None:
    asyncio.ensure_future(future)
