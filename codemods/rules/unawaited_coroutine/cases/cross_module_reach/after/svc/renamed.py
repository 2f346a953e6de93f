from svc.sub import run_job


async def go() -> None:
    # Re-exported by a package under another name.
    await run_job()
