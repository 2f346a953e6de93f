from services.registry import audit_trail


async def on_ready() -> None:
    # A coroutine in another module: it awaits the trail once the trail converts.
    await audit_trail.start()
