"""Logging for the served application: the ``resync`` loggers to stderr."""

import logging
import sys
from typing import TextIO

FORMAT = "%(levelname)s: %(message)s"


class _ResyncHandler(logging.StreamHandler[TextIO]):
    """The handler ``configure_logging`` installs (so it installs it only once)."""


def configure_logging(level: str = "INFO") -> None:
    """Send ``resync.*`` records at *level* and above to stderr.

    Only the ``resync`` logger gets a handler (uvicorn configures its own); records
    still propagate, so log capture in tests sees them too.
    """
    logger = logging.getLogger("resync")
    logger.setLevel(level)
    if not any(isinstance(handler, _ResyncHandler) for handler in logger.handlers):
        handler = _ResyncHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
