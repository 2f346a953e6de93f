import asyncio


async def job() -> None:
    await asyncio.sleep(0)


async def main() -> None:
    asyncio.create_task(job())  # pragma: no cover
    asyncio.create_task(job())  # pylint: disable=no-member
    # fire and forget
    asyncio.create_task(job())  # fire and forget
    asyncio.create_task(job(1))  # type: ignore[call-arg]
    asyncio.create_task(
        job(),  # the job
    )


def on_event() -> None:
    asyncio.create_task(job())  # pragma: no cover


async def serve() -> None:
    async with asyncio.TaskGroup() as tg:
        await main()
