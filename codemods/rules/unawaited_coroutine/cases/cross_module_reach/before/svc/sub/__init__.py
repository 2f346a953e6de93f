"""Re-exports a coroutine function under another name."""

from svc.jobs import job as run_job

__all__ = ["run_job"]
