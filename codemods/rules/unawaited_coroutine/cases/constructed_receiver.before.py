import asyncio


class Worker:
    async def run(self) -> None:
        await asyncio.sleep(0)


async def main() -> None:
    # The receiver is built by the class's constructor: its `run` is a coroutine.
    worker = Worker()
    worker.run()
    Worker().run()
