import asyncio
import logging


async def fetch() -> int:
    await asyncio.sleep(0)
    return 1


def report() -> None:
    # Handed to calls that use it as a value: the coroutine is printed, formatted
    # or added, never run.
    print(fetch())
    logging.info("fetched %s", fetch())
    label = "{}".format(fetch())
    total = fetch() + 1
    print(label, total)
