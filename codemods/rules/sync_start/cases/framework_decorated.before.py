import asyncio
from collections.abc import Callable
from typing import Any

HOOKS: list[Callable[..., Any]] = []


def on_startup(function: Callable[..., Any]) -> Callable[..., Any]:
    HOOKS.append(function)
    return function


class Service:
    @on_startup
    def start(self) -> None:
        # The decorator hands it to code that calls it as it is: not converted.
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        await asyncio.sleep(1)
