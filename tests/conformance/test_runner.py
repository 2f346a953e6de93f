"""The orchestration runner: strategies, executors, failure isolation, drain at stop."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import (
    WORKER_NAMES,
    Gate,
    database,
    eventually,
    execution_statuses,
    other_tasks,
    run,
)

NO_TASKGROUP = "legacy OrchestrationRunner takes no TaskGroup"


async def finished(runner: Any, trace_id: str) -> Any:
    """The execution once it has ended."""
    view = None

    async def ended() -> bool:
        nonlocal view
        view = await runner.get_execution(trace_id)
        return view is not None and view.status not in ("pending", "running")

    await eventually(ended, what=f"execution {trace_id} to end")
    return view


async def status(runner: Any, trace_id: str) -> str:
    view = await runner.get_execution(trace_id)
    return str(view.status)


def steps(impl: SimpleNamespace, *specs: tuple[str, str, dict[str, Any]]) -> list[Any]:
    return [impl.StepSpec(name, executor, params) for name, executor, params in specs]


def test_sequential_and_parallel_workflows_run_to_success(
    impl: SimpleNamespace, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with database(impl, tmp_path / "db.sqlite") as sessions:
            runner = impl.OrchestrationRunner(sessions)
            chain = await runner.create_config(
                "chain",
                impl.Strategy.SEQUENTIAL,
                steps(impl, ("a", "echo", {"a": 1}), ("b", "echo", {"b": 2})),
            )
            fan = await runner.create_config(
                "fan",
                impl.Strategy.PARALLEL,
                steps(impl, ("x", "echo", {"x": 1}), ("y", "sleep", {"seconds": 0})),
            )
            first = await runner.start_execution(chain, {"in": 0}, user_id="dora")
            second = await runner.start_execution(fan, {"in": 0})
            done = await finished(runner, first)
            assert (done.status, done.output) == (
                "succeeded",
                {"in": 0, "a": 1, "b": 2},
            )
            assert [(s.name, s.status) for s in done.steps] == [
                ("a", "succeeded"),
                ("b", "succeeded"),
            ]
            assert done.user_id == "dora"
            done = await finished(runner, second)
            assert done.status == "succeeded"
            assert done.output == {"x": {"in": 0, "x": 1}, "y": {"in": 0}}
            await runner.stop()
            assert other_tasks() == set()

    run(scenario())


def test_registered_executors_are_used(impl: SimpleNamespace, tmp_path: Path) -> None:
    async def shout(params: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"text": str(data["text"]).upper() + params["suffix"]}

    async def scenario() -> None:
        async with database(impl, tmp_path / "db.sqlite") as sessions:
            runner = impl.OrchestrationRunner(sessions)
            runner.agent_adapter.register("shout", shout)
            config = await runner.create_config(
                "loud",
                impl.Strategy.SEQUENTIAL,
                steps(impl, ("s", "shout", {"suffix": "!"})),
            )
            trace_id = await runner.start_execution(config, {"text": "hi"})
            assert (await finished(runner, trace_id)).output == {"text": "HI!"}
            with pytest.raises(ValueError, match="nope"):
                await runner.create_config(
                    "bad", impl.Strategy.SEQUENTIAL, steps(impl, ("s", "nope", {}))
                )
            await runner.stop()

    run(scenario())


def test_an_unknown_config_is_refused(impl: SimpleNamespace, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with database(impl, tmp_path / "db.sqlite") as sessions:
            runner = impl.OrchestrationRunner(sessions)
            with pytest.raises(impl.UnknownConfigError):
                await runner.start_execution(uuid.uuid4(), {})
            await runner.stop()

    run(scenario())


@pytest.mark.legacy_broken(NO_TASKGROUP)
def test_a_failing_workflow_cancels_none_of_its_taskgroup_siblings(
    impl: SimpleNamespace, audit_config: Callable[..., Any], tmp_path: Path
) -> None:
    async def scenario() -> None:
        gate = Gate()
        async with database(impl, tmp_path / "db.sqlite") as sessions:
            trail = impl.EncryptedAuditTrail(audit_config())
            async with asyncio.TaskGroup() as tg:
                await trail.start(tg=tg)
                runner = impl.OrchestrationRunner(sessions, tg=tg)
                runner.agent_adapter.register("gate", gate)
                failing = await runner.create_config(
                    "failing",
                    impl.Strategy.PARALLEL,
                    steps(
                        impl, ("boom", "fail", {"message": "kaput"}), ("ok", "echo", {})
                    ),
                )
                waiting = await runner.create_config(
                    "waiting", impl.Strategy.SEQUENTIAL, steps(impl, ("g", "gate", {}))
                )
                slow = await runner.start_execution(waiting, {})
                await eventually(lambda: _entered(gate), what="the gate to be reached")
                bad = await runner.start_execution(failing, {})
                failed = await finished(runner, bad)
                assert failed.status == "failed"
                assert "boom" in failed.error and "kaput" in failed.error
                # Its siblings in the TaskGroup are untouched.
                assert await status(runner, slow) == "running"
                workers = [t for t in other_tasks() if t.get_name() in WORKER_NAMES]
                assert len(workers) == 3 and not any(t.done() for t in workers)
                gate.opened.set()
                assert (await finished(runner, slow)).status == "succeeded"
                await runner.stop()
                await trail.stop()
            assert other_tasks() == set()

    run(scenario())


async def _entered(gate: Gate) -> bool:
    return gate.entered > 0


@pytest.mark.legacy_broken(NO_TASKGROUP)
def test_executions_run_in_the_given_taskgroup_named_after_their_trace(
    impl: SimpleNamespace, tmp_path: Path
) -> None:
    async def scenario() -> None:
        gate = Gate()
        async with database(impl, tmp_path / "db.sqlite") as sessions:
            async with asyncio.TaskGroup() as tg:
                runner = impl.OrchestrationRunner(sessions)
                runner.agent_adapter.register("gate", gate)
                config = await runner.create_config(
                    "g", impl.Strategy.SEQUENTIAL, steps(impl, ("g", "gate", {}))
                )
                trace_id = await runner.start_execution(config, {}, tg=tg)
                await eventually(lambda: _entered(gate), what="the gate to be reached")
                names = {task.get_name() for task in other_tasks()}
                assert f"workflow_{trace_id}" in names
                gate.opened.set()
                await finished(runner, trace_id)
                await runner.stop()

    run(scenario())


@pytest.mark.parametrize(
    "with_taskgroup",
    [pytest.param(True, marks=pytest.mark.legacy_broken(NO_TASKGROUP)), False],
    ids=["taskgroup", "fallback"],
)
def test_stop_drains_then_cancels_and_leaves_nothing_running(
    impl: SimpleNamespace, tmp_path: Path, with_taskgroup: bool
) -> None:
    path = tmp_path / "db.sqlite"

    async def scenario() -> tuple[str, str, str]:
        quick, stuck = Gate(), Gate()
        async with database(impl, path) as sessions:
            async with asyncio.TaskGroup() as tg:
                runner = (
                    impl.OrchestrationRunner(sessions, tg=tg)
                    if with_taskgroup
                    else impl.OrchestrationRunner(sessions)
                )
                runner.agent_adapter.register("quick", quick)
                runner.agent_adapter.register("stuck", stuck)
                drained_config, stuck_config = [
                    await runner.create_config(
                        name, impl.Strategy.SEQUENTIAL, steps(impl, ("s", name, {}))
                    )
                    for name in ("quick", "stuck")
                ]
                drained = await runner.start_execution(drained_config, {})
                cancelled = await runner.start_execution(stuck_config, {})
                await eventually(
                    lambda: _both_entered(quick, stuck), what="both executions to run"
                )
                stopping = asyncio.create_task(runner.stop(drain_timeout=2.0))
                await asyncio.sleep(0)
                with pytest.raises(RuntimeError, match="stopping"):
                    await runner.start_execution(drained_config, {})
                quick.opened.set()  # this one finishes within the drain
                await stopping
                await runner.stop()  # safe twice
            assert other_tasks() == set()
            late = await runner.get_execution(cancelled)
            assert [step.status for step in late.steps] == ["cancelled"]
        return drained, cancelled, "ok"

    drained, cancelled, _ = run(scenario())
    statuses = execution_statuses(path)
    assert statuses == {drained: "succeeded", cancelled: "cancelled"}


async def _both_entered(first: Gate, second: Gate) -> bool:
    return first.entered > 0 and second.entered > 0
