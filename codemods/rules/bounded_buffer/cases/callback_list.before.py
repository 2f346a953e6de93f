"""A list of callbacks registered per observation and cleared on reset is no buffer
of data waiting to be written (issue 20, N2): nothing drains it as a batch."""

import asyncio
from collections.abc import Callable


class Api:
    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._error_callbacks: list[Callable[[Exception], None]] = []
        self.observers: list[str] = []

    async def observe(self, on_error: Callable[[Exception], None]) -> None:
        self._error_callbacks.append(on_error)
        self.observers.append("observer")

    async def reset(self) -> None:
        async with self._lock:
            await asyncio.sleep(0)
            self._error_callbacks.clear()
            self.observers.clear()
