import asyncio

from app import client
from app.client import Client, fetch, run_later


class Bot:
    def __init__(self) -> None:
        self.client = Client()

    async def run(self) -> None:
        # Coroutine functions of another module, each reached its own way: awaited.
        await fetch(1)
        await client.fetch(2)
        await self.client.connect()
        await Client().connect()
        # Handed to something that runs it: left alone.
        await asyncio.gather(fetch(3))
        run_later(fetch(4))
