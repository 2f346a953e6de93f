"""In-process event bus: workflow events go to every subscribed handler, in order."""

import logging
from collections.abc import Awaitable, Callable, Mapping

logger = logging.getLogger(__name__)

Payload = Mapping[str, str | None]
Handler = Callable[[str, Payload], Awaitable[None]]


class EventBus:
    """Publish awaits each handler of the topic in turn. A failing handler is logged
    and skipped: it never fails the publisher (a workflow)."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers.setdefault(topic, []).append(handler)

    def unsubscribe(self, topic: str, handler: Handler) -> None:
        """Remove *handler* from *topic*; a handler not subscribed is ignored."""
        handlers = self._handlers.get(topic, [])
        if handler in handlers:
            handlers.remove(handler)

    async def publish(self, topic: str, payload: Payload) -> None:
        for handler in tuple(self._handlers.get(topic, ())):
            try:
                await handler(topic, payload)
            except Exception:
                logger.exception("event handler for %s failed", topic)

    def __repr__(self) -> str:
        counts = {topic: len(handlers) for topic, handlers in self._handlers.items()}
        return f"EventBus(handlers={counts})"


event_bus = EventBus()
