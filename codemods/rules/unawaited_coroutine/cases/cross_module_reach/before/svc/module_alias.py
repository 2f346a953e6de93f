import svc.jobs as m


async def go() -> None:
    # A module imported under another name.
    m.job()
