from svc.base import Base, make


async def use(base: Base) -> None:
    # A parameter annotated with the class, and a factory's result.
    base.connect()
    make().connect()


def sync_use(base: Base) -> bool:
    # Used as if it were the result, from synchronous code: reported.
    return bool(base.connect())
