import asyncio


class Pump:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        await asyncio.sleep(1)


async def main() -> None:
    # A call whose coroutine is handed on needs no await: it is left as written.
    await asyncio.gather(Pump().start())


def run() -> None:
    loop = asyncio.new_event_loop()
    loop.run_until_complete(Pump().start())
