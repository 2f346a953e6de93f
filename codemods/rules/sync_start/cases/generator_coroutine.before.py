import asyncio


class Broker:
    @asyncio.coroutine
    def start(self):
        yield from asyncio.sleep(0)
        self._task = asyncio.ensure_future(self._loop())

    async def _loop(self):
        await asyncio.sleep(1)


@asyncio.coroutine
def run_broker():
    broker = Broker()
    yield from broker.start()


def main():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(Broker().start())
