"""The database: SQLAlchemy 2 async engine (SQLite through aiosqlite by default)."""

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from resync.core.audit.files import ensure_private_file


class Base(DeclarativeBase):
    """Base class of every table."""


def create_engine(url: str) -> AsyncEngine:
    """An async engine for *url*; SQLite files get WAL and a generous busy timeout so
    concurrent requests wait for the writer instead of failing."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_async_engine(url)
    engine = create_async_engine(url, connect_args={"timeout": 30})
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def make_database_private(url: str) -> None:
    """Create the SQLite file of *url* 0600, or make it so (with its WAL files): the
    database holds workflow inputs and outputs. Other databases are left alone."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or name in (None, "", ":memory:"):
        return
    if name.startswith("file:"):
        return  # a URI filename: its options are SQLite's to interpret
    path = Path(name)
    ensure_private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            ensure_private_file(companion)


async def create_schema(engine: AsyncEngine) -> None:
    """Create the tables that do not exist yet."""
    from resync.core.orchestration import models  # noqa: F401  (registers the tables)

    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()
