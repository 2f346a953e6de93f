"""The package re-exports its client's coroutine function."""

from app.client import fetch

__all__ = ["fetch"]
