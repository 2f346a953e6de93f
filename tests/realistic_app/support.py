"""Helpers of the herald behaviour tests. Nothing here imports ``herald`` at import
time: the package under test is the one under ``--app-root``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

# Shared with the resync suite: nothing in them is specific to an application.
from tests.conformance.support import eventually, free_port, other_tasks, run, served

__all__ = ["eventually", "free_port", "other_tasks", "run", "served"]

CHANNELS = ("inbox", "webhook", "log")  # webhook has no URL: it fails, and is retried
TERMINAL = ("delivered", "failed")


class SpawnedOutsideRoot(AssertionError):
    """A task was spawned at run time outside the application's root TaskGroup."""


class TaskLeftRunning(AssertionError):
    """A task of the application was still alive after its lifespan ended."""


class EntriesLost(AssertionError):
    """Buffered entries were neither written nor counted as dropped."""


def settings(data_dir: Path, **overrides: Any) -> Any:
    """Settings for an in-process run: short intervals, a small pool."""
    from herald.core.settings import Settings

    values: dict[str, Any] = {
        "data_dir": data_dir,
        "dispatch_workers": 2,
        "max_attempts": 2,
        "retry_backoff_seconds": 0.02,
        "delivery_log_flush_seconds": 0.05,
        "metrics_flush_seconds": 0.05,
        "monitor_interval_seconds": 0.05,
        "shutdown_timeout_seconds": 0.5,
        **overrides,
    }
    return Settings(**values)


async def post_notifications(client: httpx.AsyncClient, count: int) -> list[str]:
    """*count* notifications over every channel, concurrently; their ids."""

    async def post(n: int) -> str:
        response = await client.post(
            "/api/v1/notifications",
            json={
                "recipient": f"user{n % 7}@example.test",
                "channel": CHANNELS[n % len(CHANNELS)],
                "subject": f"message {n}",
                "body": "hello",
            },
        )
        assert response.status_code == 202, response.text
        identifier: str = response.json()["id"]
        return identifier

    return list(await asyncio.gather(*(post(n) for n in range(count))))


async def all_settled(client: httpx.AsyncClient, ids: list[str]) -> bool:
    for identifier in ids:
        response = await client.get(f"/api/v1/notifications/{identifier}")
        if response.status_code != 200 or response.json()["status"] not in TERMINAL:
            return False
    return True


def dropped(owner: object) -> int:
    """What *owner* counts as dropped: its public ``dropped*`` integer counters."""
    return sum(
        value
        for name, value in vars(owner).items()
        if name.startswith("dropped") and isinstance(value, int)
    )
