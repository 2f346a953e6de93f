import asyncio
from collections.abc import AsyncIterator, Callable


class Application:
    def __init__(self) -> None:
        self.cleanup_ctx: list[Callable[[Application], AsyncIterator[None]]] = []


class Feed:
    def __init__(self, tg: asyncio.TaskGroup | None = None) -> None:
        self.tg = tg


async def feeds(app: Application) -> AsyncIterator[None]:
    feed = Feed()
    yield
    del feed


def make_app() -> Application:
    app = Application()
    app.cleanup_ctx.append(feeds)
    return app
