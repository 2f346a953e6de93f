"""The ASGI application."""

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from resync.api import audit, executions
from resync.api.errors import validation_error
from resync.core.settings import Settings
from resync.core.startup import lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API, its services run by the lifespan; settings default to the env."""
    app = FastAPI(title="resync", version="1.0.0", lifespan=lifespan)
    app.state.settings = Settings.from_env() if settings is None else settings
    app.state.services = None
    app.add_exception_handler(RequestValidationError, validation_error)
    app.include_router(audit.router)
    app.include_router(executions.router)

    @app.get("/api/v1/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
