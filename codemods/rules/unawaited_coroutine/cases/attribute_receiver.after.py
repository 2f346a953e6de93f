import asyncio


class Client:
    async def connect(self) -> None:
        await asyncio.sleep(0)


class Bot:
    def __init__(self) -> None:
        self.client = Client()

    async def run(self) -> None:
        # The receiver's class is known from `__init__`: awaited.
        await self.client.connect()
