import asyncio
from collections.abc import AsyncIterator, Callable


class Application:
    def __init__(self) -> None:
        self.cleanup_ctx: list[Callable[[Application], AsyncIterator[None]]] = []


class Feed:
    def __init__(self, tg: asyncio.TaskGroup | None = None) -> None:
        self.tg = tg


async def feeds(app: Application) -> AsyncIterator[None]:
    drain = asyncio.timeout(None)
    try:
        async with drain, asyncio.TaskGroup() as tg:
            try:
                feed = Feed(tg=tg)
                yield
                del feed
            finally:
                # Background tasks still running 30 s after shutdown are cancelled.
                drain.reschedule(asyncio.get_running_loop().time() + 30.0)
    except TimeoutError:
        if not drain.expired():
            raise


def make_app() -> Application:
    app = Application()
    app.cleanup_ctx.append(feeds)
    return app
