import asyncio

from app.bus import bus


async def run_jobs(names: list[str]) -> None:
    async with asyncio.TaskGroup() as tg:
        for name in names:
            await bus.publish("job.started", name=name)


async def report() -> None:
    await bus.publish("report")
