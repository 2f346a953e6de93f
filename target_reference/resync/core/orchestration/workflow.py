"""Running a workflow's steps: sequentially, or in parallel in a nested TaskGroup."""

import asyncio
import uuid
from typing import Any

from resync.core.orchestration.events import EventBus
from resync.core.orchestration.executors import AgentAdapter, StepSpec
from resync.core.orchestration.models import ExecutionStatus, Strategy
from resync.core.orchestration.repository import ExecutionRepository, WorkflowPlan


class WorkflowEngine:
    """Sequential steps each take the previous step's output; parallel steps all take
    the input and run in a nested TaskGroup (one failing cancels the others of the
    same execution only), their outputs keyed by step name."""

    def __init__(
        self, repository: ExecutionRepository, adapter: AgentAdapter, bus: EventBus
    ) -> None:
        self.repository = repository
        self.adapter = adapter
        self.bus = bus

    async def run(self, execution_id: uuid.UUID) -> dict[str, Any] | None:
        """The execution's output; None if it was no longer pending. A failing step
        raises (``StepError``, or an ``ExceptionGroup`` of them)."""
        plan = await self.repository.begin(execution_id)
        if plan is None:
            return None
        await self.bus.publish(
            "execution.started", {"trace_id": plan.trace_id, "status": "running"}
        )
        if plan.strategy is Strategy.PARALLEL:
            return await self._parallel(plan)
        return await self._sequential(plan)

    async def _sequential(self, plan: WorkflowPlan) -> dict[str, Any]:
        data = plan.input_data
        for position, step in enumerate(plan.steps):
            data = await self._step(plan, position, step, data)
        return data

    async def _parallel(self, plan: WorkflowPlan) -> dict[str, Any]:
        async with asyncio.TaskGroup() as steps:
            runs = {
                step.name: steps.create_task(
                    self._step(plan, position, step, dict(plan.input_data)),
                    name=f"workflow_{plan.trace_id}_{step.name}",
                )
                for position, step in enumerate(plan.steps)
            }
        return {name: run.result() for name, run in runs.items()}

    async def _step(
        self, plan: WorkflowPlan, position: int, step: StepSpec, data: dict[str, Any]
    ) -> dict[str, Any]:
        run_id = await self.repository.start_step(
            plan.execution_id, step.name, position
        )
        try:
            output = await self.adapter.run_step(step, data)
        except Exception as exc:
            await self.repository.finish_step(
                run_id, ExecutionStatus.FAILED, error=str(exc)
            )
            raise
        await self.repository.finish_step(
            run_id, ExecutionStatus.SUCCEEDED, output=output
        )
        return output


def describe_failure(exc: BaseException) -> str:
    """A one-line reason for an execution's failure."""
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(describe_failure(inner) for inner in exc.exceptions)
    return str(exc) or type(exc).__name__
