"""(a) Every task the service spawns at run time belongs to its root TaskGroup.

The service runs in process (its lifespan, then a request load that reaches every
spawn site: the dispatch workers, the flushers, the health monitor and rate limiter
factories, the event bus, the retry callback, a request handler), with a task
factory that records who spawned each task and through what (``spawns.py``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.realistic_app.spawns import SpawnRecorder
from tests.realistic_app.support import (
    SpawnedOutsideRoot,
    TaskLeftRunning,
    all_settled,
    eventually,
    other_tasks,
    post_notifications,
    run,
    served,
    settings,
)

# Modules whose spawn sites the load must reach, or the test proves nothing.
SPAWNING_MODULES = (
    "herald/services/dispatcher.py",
    "herald/services/delivery_log.py",
    "herald/services/metrics.py",
    "herald/services/monitor.py",
    "herald/services/ratelimit.py",
    "herald/services/retry.py",
    "herald/core/events.py",
    "herald/api/routes.py",
)
NOTIFICATIONS = 30
SETTLE = 30.0  # seconds the load may take to settle on a busy machine


@pytest.fixture
def unlimited(monkeypatch: pytest.MonkeyPatch) -> None:
    """No request of the load is rate limited."""
    monkeypatch.setenv("HERALD_RATE_LIMIT", "100000")
    monkeypatch.setenv("HERALD_RATE_LIMIT_BURST", "100000")


def run_under_load(
    recorder: SpawnRecorder, app: Any, *, linger: list[str] | None = None
) -> asyncio.Task[Any]:
    """Start the service, load it until every notification settled, stop it.

    Returns the task that ran the lifespan. With *linger*, one more webhook
    notification is left retrying (its backoff outlasts the test) when shutdown
    starts, and its id is appended to *linger*.
    """

    async def scenario() -> asyncio.Task[Any]:
        recorder.install()
        async with served(app) as client:
            ids = await post_notifications(client, NOTIFICATIONS)
            await eventually(
                lambda: all_settled(client, ids), timeout=SETTLE, what="deliveries"
            )
            assert (await client.get("/api/v1/health")).status_code == 200
            assert (await client.get("/api/v1/metrics")).status_code == 200
            services = app.state.services
            await eventually(
                _flushed(services),
                timeout=SETTLE,
                what="the delivery log and metrics to flush",
            )
            if linger is not None:
                services.retries.backoff = 3600.0
                response = await client.post(
                    "/api/v1/notifications",
                    json={"recipient": "late", "channel": "webhook", "subject": "x"},
                )
                assert response.status_code == 202, response.text
                linger.append(response.json()["id"])
                scheduled = services.retries.scheduled

                async def retry_scheduled() -> bool:
                    return bool(services.retries.scheduled > scheduled)

                await eventually(
                    retry_scheduled, timeout=SETTLE, what="the retry to be scheduled"
                )
        lifespan_task = asyncio.current_task()
        assert lifespan_task is not None
        leftovers = other_tasks()
        if leftovers:
            raise TaskLeftRunning(
                f"{len(leftovers)} task(s) alive after the lifespan ended: "
                + ", ".join(sorted(map(_described, leftovers)))
            )
        return lifespan_task

    return run(scenario(), timeout=90)


def _described(task: asyncio.Task[Any]) -> str:
    coroutine = task.get_coro()
    return f"{task.get_name()} ({getattr(coroutine, '__qualname__', coroutine)})"


def _flushed(services: Any) -> Any:
    async def check() -> bool:
        return not services.delivery_log.pending and not services.metrics.buf

    return check


@pytest.mark.unmigrated_fails(
    SpawnedOutsideRoot,
    "no TaskGroup anywhere: every spawn is a bare create_task (tracker or not)",
)
@pytest.mark.timeout(120)
def test_every_task_spawned_at_run_time_is_in_the_root_taskgroup(
    app_root: Path,
    tmp_path: Path,
    unlimited: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from herald.app import create_app

    recorder = SpawnRecorder(app_root)
    app = create_app(settings(tmp_path / "data"))
    with recorder.watching_groups(monkeypatch):
        lifespan_task = run_under_load(recorder, app)

    reached = [
        m for m in SPAWNING_MODULES if any(s.touches(m) for s in recorder.spawns)
    ]
    missed = sorted(set(SPAWNING_MODULES) - set(reached))
    assert not missed, f"the load never reached a spawn in {missed}"
    bare = recorder.bare()
    if bare:
        raise SpawnedOutsideRoot(
            f"{len(bare)} of {len(recorder.spawns)} spawns took no TaskGroup:\n"
            + "\n".join(sorted({str(s).rsplit(" (task", 1)[0] for s in bare}))
        )
    roots = [g for g, task in recorder.entered_groups if task is lifespan_task]
    assert len(roots) == 1, f"the lifespan entered {len(roots)} TaskGroups"
    outside = [s for s in recorder.in_group() if s.group is not roots[0]]
    if outside:
        raise SpawnedOutsideRoot(
            "spawned into a TaskGroup other than the root:\n"
            + "\n".join(map(str, outside))
        )


@pytest.mark.unmigrated_fails(
    TaskLeftRunning,
    "a fire-and-forget retry escapes cancel_all_tasks() and outlives the lifespan",
)
@pytest.mark.timeout(120)
def test_shutdown_ends_every_task_even_one_sleeping_past_the_drain_timeout(
    app_root: Path, tmp_path: Path, unlimited: None
) -> None:
    from herald.app import create_app

    recorder = SpawnRecorder(app_root)
    app = create_app(settings(tmp_path / "data"))
    linger: list[str] = []
    run_under_load(recorder, app, linger=linger)
    assert linger
