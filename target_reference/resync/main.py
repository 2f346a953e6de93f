"""ASGI entry point: ``uvicorn resync.main:app --app-dir target_reference``.

Settings come from ``RESYNC_*`` environment variables (see ``resync.core.settings``).
"""

from resync.api.app import create_app
from resync.core.log_config import configure_logging
from resync.core.settings import Settings

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
