import asyncio

from app.tasks import track_task


class Pool:
    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[None]] = []

    async def _work(self) -> None:
        await asyncio.sleep(1)

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        for number in range(2):
            if tg is None:
                task = track_task(self._work(), name=f"worker-{number}")
            else:
                task = tg.create_task(self._work(), name=f"worker-{number}")
            self.tasks.append(task)
        if tg is None:
            track_task(self._work())  # the watchdog
        else:
            tg.create_task(self._work())  # the watchdog


async def _heartbeat() -> None:
    await asyncio.sleep(1)


async def _start_heartbeat(
    interval: float = 1.0, *, tg: asyncio.TaskGroup | None = None
) -> None:
    if tg is None:
        track_task(_heartbeat(), name="heartbeat")
    else:
        tg.create_task(_heartbeat(), name="heartbeat")


async def start_all(tg: asyncio.TaskGroup) -> None:
    await Pool().start(tg)
    await _start_heartbeat(tg=tg)
