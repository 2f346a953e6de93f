"""The writers' fence: once the trail stops, no writer gets an entry id for an entry
that would then never be written.

``stop()`` closes the fence before its final flush. A writer arriving later is turned
away, and one still waiting inside (for the buffer's lock, or for room in a full
buffer) is woken with the same error: its entry was never buffered, so the final flush
has nothing of it to lose. The wake-up is a cancellation the fence takes back, as
``asyncio.timeout`` does: a cancellation from anyone else still goes through.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator


class AuditTrailStoppedError(RuntimeError):
    """The audit trail was stopped: the event was not logged."""


class WriterFence:
    def __init__(self, what: str) -> None:
        self.what = what
        self.closed = False
        self._inside: set[asyncio.Task[object]] = set()
        self._turned_away: set[asyncio.Task[object]] = set()

    @contextlib.asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Let the current task write, unless the fence is closed (then, or when it
        closes meanwhile, ``AuditTrailStoppedError``)."""
        if self.closed:
            raise self._error()
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError(f"{self.what}: a writer must run in an asyncio task")
        self._inside.add(task)
        try:
            yield
        except asyncio.CancelledError:
            if task not in self._turned_away:
                raise
            self._turned_away.discard(task)
            if task.uncancel() > 0:
                raise  # cancelled by someone else as well
            raise self._error() from None
        finally:
            self._inside.discard(task)
            self._turned_away.discard(task)

    def close(self) -> None:
        """Turn away new writers and wake the waiting ones with the error."""
        self.closed = True
        current = asyncio.current_task()
        for task in self._inside - self._turned_away:
            if task is not current:
                self._turned_away.add(task)
                task.cancel(f"{self.what} was stopped")

    def _error(self) -> AuditTrailStoppedError:
        return AuditTrailStoppedError(
            f"{self.what} was stopped: the event was not logged"
        )

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<WriterFence {self.what} {state} writers={len(self._inside)}>"
