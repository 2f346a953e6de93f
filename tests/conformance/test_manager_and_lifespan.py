"""The enterprise manager, the lifespan and the HTTP API, in process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import (
    OPEN_STATUSES,
    WORKER_NAMES,
    execution_statuses,
    other_tasks,
    run,
    served,
)

BOOT_TYPEERROR = "legacy boot: start() got an unexpected keyword argument 'tg'"
SHUTDOWN = "Shutdown initiated, waiting for tasks..."
CLOSED = "Database connections closed"


def settings(
    impl: SimpleNamespace, audit_config: Callable[..., Any], data: Path
) -> Any:
    return impl.Settings(
        data_dir=data,
        database_url=f"sqlite+aiosqlite:///{data / 'resync.db'}",
        audit=audit_config(),
        drain_timeout_seconds=0.3,
    )


@pytest.mark.legacy_broken(BOOT_TYPEERROR)
def test_the_manager_boots_in_a_taskgroup_and_shuts_down_in_reverse(
    impl: SimpleNamespace, audit_config: Callable[..., Any]
) -> None:
    async def scenario() -> None:
        manager = impl.EnterpriseManager(audit_config())
        async with asyncio.TaskGroup() as tg:
            await manager.initialize(tg=tg)
            names = {task.get_name() for task in other_tasks()}
            assert set(WORKER_NAMES) <= names
            with pytest.raises(RuntimeError, match="running"):
                await manager.initialize(tg=tg)
            trail = manager.audit_trail
            await impl.event_bus.publish(
                "execution.failed", {"trace_id": "t1", "status": "failed"}
            )
            assert [e.resource for e in trail.pending_entries] == ["t1"]
            await manager.shutdown()
            await manager.shutdown()
            # The bridge went first: events after shutdown are no longer audited.
            await impl.event_bus.publish(
                "execution.failed", {"trace_id": "t2", "status": "failed"}
            )
        assert other_tasks() == set()
        assert [e.resource for e in await trail.search_events(limit=None)] == ["t1"]

    run(scenario())


@pytest.mark.legacy_broken(BOOT_TYPEERROR)
def test_lifespan_serves_then_shuts_down_in_order_leaving_nothing_behind(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    data = tmp_path / "data"
    app = impl.create_app(settings(impl, audit_config, data))

    async def scenario() -> tuple[list[str], list[str]]:
        async with served(app) as client:
            config = await client.post(
                "/api/v1/configs",
                json={
                    "name": "long",
                    "steps": [
                        {"name": "wait", "executor": "sleep", "params": {"seconds": 60}}
                    ],
                },
            )
            assert config.status_code == 201, config.text
            config_id = config.json()["config_id"]
            traces = []
            for n in range(3):
                started = await client.post(
                    "/api/v1/executions",
                    json={"config_id": config_id, "input_data": {"n": n}},
                )
                assert started.status_code == 202, started.text
                traces.append(started.json()["trace_id"])
            entries = []
            for n in range(5):
                logged = await client.post(
                    "/api/v1/audit/events",
                    json={"event_type": "login", "action": "auth", "details": {"n": n}},
                )
                assert logged.status_code == 201, logged.text
                entries.append(logged.json()["entry_id"])
            view = await client.get(f"/api/v1/executions/{traces[0]}")
            assert view.status_code == 200 and view.json()["status"] in OPEN_STATUSES
        assert other_tasks() == set()
        return traces, entries

    traces, entries = run(scenario())
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("resync")]
    shutdown = messages.index(SHUTDOWN)
    completed = [messages.index(f"{name} completed") for name in WORKER_NAMES]
    assert shutdown < min(completed)
    assert messages[-1] == CLOSED and max(completed) < len(messages) - 1
    assert execution_statuses(data / "resync.db") == dict.fromkeys(traces, "cancelled")
    trail = impl.EncryptedAuditTrail(app.state.settings.audit)
    stored = {entry.entry_id for entry in run(trail.search_events(limit=None))}
    assert set(entries) <= stored
    assert run(trail.verify_integrity()).ok


@pytest.mark.legacy_broken(BOOT_TYPEERROR)
def test_invalid_requests_get_422_with_a_message_and_lose_no_entry(
    impl: SimpleNamespace, audit_config: Callable[..., Any], tmp_path: Path
) -> None:
    app = impl.create_app(settings(impl, audit_config, tmp_path / "data"))
    bad_events = [
        b'{"event_type": "login", ',  # not JSON
        b'{"event_type": "login", "action": "x", "details": {"v": NaN}}',
        b'{"action": "x"}',  # event_type missing
        b'{"event_type": "", "action": "x"}',
        b'{"event_type": "a", "action": "x", "details": [1]}',
        b'{"event_type": "a", "action": "x", "unexpected": 1}',
        b"[]",
    ]

    async def scenario() -> None:
        headers = {"content-type": "application/json"}
        async with served(app) as client:
            good = await client.post(
                "/api/v1/audit/events", json={"event_type": "a", "action": "b"}
            )
            assert good.status_code == 201
            for body in bad_events:
                response = await client.post(
                    "/api/v1/audit/events", content=body, headers=headers
                )
                assert response.status_code == 422, (body, response.text)
                detail = response.json()["detail"]
                assert detail and all(item["msg"] for item in detail)
            for body in (b'{"config_id": "not-a-uuid"}', b'{"name": "x", "steps": []}'):
                path = (
                    "/api/v1/executions" if b"config_id" in body else "/api/v1/configs"
                )
                response = await client.post(path, content=body, headers=headers)
                assert response.status_code == 422, (body, response.text)
            unknown = await client.post(
                "/api/v1/configs",
                json={"name": "x", "steps": [{"name": "s", "executor": "nope"}]},
            )
            assert unknown.status_code == 422 and "nope" in unknown.json()["detail"]
            missing = await client.post(
                "/api/v1/executions",
                json={"config_id": "00000000-0000-0000-0000-000000000000"},
            )
            assert missing.status_code == 404
            assert (await client.get("/api/v1/executions/none")).status_code == 404
            verify = await client.get("/api/v1/audit/verify")
            assert verify.status_code == 200 and verify.json()["ok"] is True
            trail = app.state.services.audit
            await trail.flush()
            stored = await trail.search_events(limit=None)
            assert [entry.entry_id for entry in stored] == [good.json()["entry_id"]]

    run(scenario())
