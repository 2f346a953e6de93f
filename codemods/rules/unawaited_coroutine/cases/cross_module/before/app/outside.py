from vendor import fetch


async def poll() -> None:
    # Not the project's: the index does not resolve it.
    fetch()
