import asyncio

_background_tasks: set[asyncio.Task[None]] = set()


class Pool:
    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[None]] = []
        self._background_tasks: set[asyncio.Task[None]] = set()

    async def _work(self) -> None:
        await asyncio.sleep(1)

    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        spawn = asyncio.create_task if tg is None else tg.create_task
        for number in range(2):
            task = spawn(self._work(), name=f"worker-{number}")
            self.tasks.append(task)
        if tg is None:
            task_2 = asyncio.create_task(self._work())  # the watchdog
            self._background_tasks.add(task_2)
            task_2.add_done_callback(self._background_tasks.discard)
        else:
            tg.create_task(self._work())  # the watchdog


async def _heartbeat() -> None:
    await asyncio.sleep(1)


async def _start_heartbeat(
    interval: float = 1.0, *, tg: asyncio.TaskGroup | None = None
) -> None:
    if tg is None:
        task = asyncio.create_task(_heartbeat(), name="heartbeat")
        _background_tasks.add(task)
        task.add_done_callback(_background_tasks.discard)
    else:
        tg.create_task(_heartbeat(), name="heartbeat")


async def start_all(tg: asyncio.TaskGroup) -> None:
    await Pool().start(tg)
    await _start_heartbeat(tg=tg)
