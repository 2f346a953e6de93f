"""Helpers of the conformance suite. Nothing here imports ``resync``: the package
under test comes from the ``impl`` fixture."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

T = TypeVar("T")

WORKER_NAMES = (
    "audit_flush_worker",
    "audit_archival_worker",
    "audit_verification_worker",
)
OPEN_STATUSES = ("pending", "running")


def run(coroutine: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
    """Run *coroutine* in a new event loop, failing if it takes over *timeout*."""

    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await coroutine

    return asyncio.run(bounded())


def other_tasks() -> set[asyncio.Task[Any]]:
    """Tasks alive besides the current one."""
    current = asyncio.current_task()
    return {task for task in asyncio.all_tasks() if task is not current}


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 10.0, what: str = "condition"
) -> None:
    """Poll *check* until it holds; fail after *timeout* seconds."""
    try:
        async with asyncio.timeout(timeout):
            while not await check():
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


@contextlib.asynccontextmanager
async def database(
    impl: Any, path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A fresh schema in the SQLite file *path*, through the implementation's code."""
    engine = impl.database.create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await impl.database.create_schema(engine)
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()


def execution_statuses(path: Path) -> dict[str, str]:
    """trace_id -> status, read straight from the SQLite file."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return dict(connection.execute("SELECT trace_id, status FROM executions"))


@contextlib.asynccontextmanager
async def served(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, and a client talking to it in-process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://resync.test"
        ) as client:
            yield client


class FlakyWrites:
    """Wraps ``store.write_block``: every *every*-th call fails before writing."""

    def __init__(self, original: Callable[[Any], Awaitable[Any]], every: int) -> None:
        self.original = original
        self.every = every
        self.calls = 0
        self.failures = 0
        self.batch_sizes: list[int] = []

    async def __call__(self, entries: Any) -> Any:
        self.calls += 1
        self.batch_sizes.append(len(entries))
        if self.every and self.calls % self.every == 0:
            self.failures += 1
            raise OSError("injected write failure")
        return await self.original(entries)


class Gate:
    """A step executor that waits until the test opens its gate."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.entered = 0

    async def __call__(self, params: Any, data: dict[str, Any]) -> dict[str, Any]:
        self.entered += 1
        await self.opened.wait()
        return {**data, "gate": "passed"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fill_trail(impl: Any, config: Any, blocks: int, per_block: int) -> Any:
    """A trail under *config* with *blocks* more blocks of *per_block* entries each,
    flushed one by one; the trail is stopped, and returned."""

    async def fill() -> Any:
        trail = impl.EncryptedAuditTrail(config)
        for block in range(blocks):
            for n in range(per_block):
                await trail.log_event(
                    "payment", "approve", details={"b": block, "n": n}
                )
            await trail.flush()
        await trail.stop()
        return trail

    return run(fill())


def block_path(config: Any, seq: int, directory: str = "blocks") -> Path:
    return Path(config.storage_dir) / directory / f"block-{seq:08d}.aeb"


def found_problems(trail: Any) -> list[tuple[str, str, str, int | None, int | None]]:
    """(kind, scope, location, block, entry) of every problem verification reports."""
    report = run(trail.verify_integrity())
    return [(p.kind, p.scope, p.location, p.block, p.entry) for p in report.problems]
