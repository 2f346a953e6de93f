"""The application lifespan: every background task runs in one TaskGroup."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker

from resync.core.audit.files import ensure_private_directory
from resync.core.database import (
    create_engine,
    create_schema,
    make_database_private,
)
from resync.core.enterprise.manager import EnterpriseManager
from resync.core.orchestration.runner import OrchestrationRunner
from resync.core.services import Services
from resync.core.settings import Settings

logger = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the services in a TaskGroup that lives as long as the app.

    At shutdown the runner and the manager stop, the TaskGroup drains (each worker
    logs ``<name> completed``), and only then is the database engine disposed.
    """
    settings = settings_of(app)
    ensure_private_directory(settings.data_dir)
    make_database_private(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        await create_schema(engine)
        session_factory = async_sessionmaker(engine, expire_on_commit=False)
        enterprise_manager = EnterpriseManager(settings.audit)
        async with asyncio.TaskGroup() as bg_tasks:
            runner: OrchestrationRunner | None = None
            try:
                await enterprise_manager.initialize(tg=bg_tasks)
                runner = OrchestrationRunner(session_factory, tg=bg_tasks)
                app.state.services = Services(runner, enterprise_manager.audit_trail)
                logger.info("Application services started")
                yield
            finally:
                logger.info("Shutdown initiated, waiting for tasks...")
                app.state.services = None
                await _stop_services(
                    runner, enterprise_manager, settings.drain_timeout_seconds
                )
    finally:
        await engine.dispose()
        logger.info("Database connections closed")


def settings_of(app: FastAPI) -> Settings:
    settings = getattr(app.state, "settings", None)
    if not isinstance(settings, Settings):
        raise RuntimeError("the app has no Settings; build it with create_app()")
    return settings


async def _stop_services(
    runner: OrchestrationRunner | None,
    enterprise_manager: EnterpriseManager,
    drain_timeout: float,
) -> None:
    """The runner first, so that its last workflow events are still audited."""
    try:
        if runner is not None:
            await runner.stop(drain_timeout)
    finally:
        await enterprise_manager.shutdown()
