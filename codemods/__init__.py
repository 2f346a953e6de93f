"""taskgroup-codemods: migrate asyncio code from fire-and-forget tasks to TaskGroup."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("taskgroup-codemods")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
