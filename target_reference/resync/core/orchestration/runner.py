"""The orchestration runner: starts executions and runs them in the background."""

import asyncio
import enum
import logging
from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resync.core.lifecycle import wait_then_cancel
from resync.core.orchestration.events import event_bus
from resync.core.orchestration.executors import AgentAdapter, StepSpec
from resync.core.orchestration.models import ExecutionStatus, Strategy
from resync.core.orchestration.repository import ExecutionRepository, ExecutionView
from resync.core.orchestration.workflow import WorkflowEngine, describe_failure

logger = logging.getLogger(__name__)


class RunnerState(enum.Enum):
    ACCEPTING = "accepting"
    STOPPING = "stopping"
    STOPPED = "stopped"


class OrchestrationRunner:
    """
    Executes orchestration workflows based on configuration and state strings.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tg: asyncio.TaskGroup | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.agent_adapter = AgentAdapter()
        self.event_bus = event_bus
        self.repository = ExecutionRepository(session_factory)
        self._workflow = WorkflowEngine(
            self.repository, self.agent_adapter, self.event_bus
        )
        self._state = RunnerState.ACCEPTING
        self._active: dict[UUID, asyncio.Task[None]] = {}
        self._unfinished: set[UUID] = set()
        self.tg = tg
        self._background_tasks: set[asyncio.Task[None]] = set()

    @property
    def state(self) -> RunnerState:
        return self._state

    async def create_config(
        self, name: str, strategy: Strategy, steps: Sequence[StepSpec]
    ) -> UUID:
        """Store a workflow configuration; ``ValueError`` if its steps are invalid."""
        if not steps:
            raise ValueError("a workflow needs at least one step")
        names = [step.name for step in steps]
        if len(set(names)) != len(names):
            raise ValueError("step names must be unique")
        unknown = sorted(
            {s.executor for s in steps if not self.agent_adapter.knows(s.executor)}
        )
        if unknown:
            raise ValueError(f"unknown executor(s): {', '.join(unknown)}")
        return await self.repository.create_config(name, strategy, steps)

    async def start_execution(
        self,
        config_id: UUID,
        input_data: dict[str, Any],
        user_id: str | None = None,
        tg: asyncio.TaskGroup | None = None,
    ) -> str:
        """
        Starts a new execution for a given config.
        Returns the trace_id.
        """
        self._check_accepting()
        trace_id = uuid4().hex
        execution = await self.repository.create_execution(
            config_id, trace_id, input_data, user_id
        )
        if self._state is not RunnerState.ACCEPTING:
            # stop() began while the row was written: it must not stay pending.
            await self.repository.cancel([execution.id], "runner stopped")
            self._check_accepting()
        self._unfinished.add(execution.id)
        logger.info("execution %s created", trace_id)
        await self.event_bus.publish(
            "execution.created",
            {"trace_id": trace_id, "status": "pending", "user_id": user_id},
        )

        # Start background processing
        # In a real system, this might be a Celery task or similar.
        # Here we run it as an asyncio task (fire and forget handled by caller or here?)
        # Ideally, we return trace_id immediately and run async.
        task_group = self.tg if tg is None else tg
        if task_group is None:
            task = asyncio.create_task(
                self._run_loop(execution.id), name=f"workflow_{trace_id}"
            )
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
        else:
            task_group.create_task(
                self._run_loop(execution.id), name=f"workflow_{trace_id}"
            )

        return trace_id

    async def get_execution(self, trace_id: str) -> ExecutionView | None:
        return await self.repository.get(trace_id)

    async def stop(self, drain_timeout: float = 10.0) -> None:
        """Stop taking executions; give the running ones *drain_timeout* seconds, then
        cancel the rest and mark every unfinished execution cancelled, in one
        committed transaction. Safe to call twice."""
        if self._state is RunnerState.STOPPED:
            return
        self._state = RunnerState.STOPPING
        running = set(self._active.values())
        if running:
            logger.info(
                "draining %d execution(s) for up to %.1fs", len(running), drain_timeout
            )
            await wait_then_cancel(running, drain_timeout)
        unfinished, self._unfinished = self._unfinished, set()
        try:
            cancelled = await self.repository.cancel(
                unfinished, "cancelled at shutdown"
            )
        except BaseException:
            self._unfinished |= unfinished
            raise
        self._state = RunnerState.STOPPED
        if cancelled:
            logger.info("cancelled %d unfinished execution(s)", len(cancelled))
        for trace_id in cancelled:
            await self.event_bus.publish(
                "execution.cancelled", {"trace_id": trace_id, "status": "cancelled"}
            )

    def __repr__(self) -> str:
        return (
            f"<OrchestrationRunner state={self._state.value} "
            f"active={len(self._active)} unfinished={len(self._unfinished)}>"
        )

    def _check_accepting(self) -> None:
        if self._state is not RunnerState.ACCEPTING:
            raise RuntimeError(
                f"OrchestrationRunner is {self._state.value}: "
                "it starts no new executions"
            )

    async def _run_loop(self, execution_id: UUID) -> None:
        """Run one execution to its end.

        A failure is recorded on the execution, never raised, so it cannot cancel the
        other tasks of the TaskGroup. Cancellation (shutdown) propagates; ``stop()``
        records it.
        """
        task = asyncio.current_task()
        if task is None or self._state is not RunnerState.ACCEPTING:
            return  # stop() marks the execution cancelled
        self._active[execution_id] = task
        try:
            try:
                output = await self._workflow.run(execution_id)
            except Exception as exc:
                await self._finish(
                    execution_id, ExecutionStatus.FAILED, error=describe_failure(exc)
                )
            else:
                if output is not None:
                    await self._finish(
                        execution_id, ExecutionStatus.SUCCEEDED, output=output
                    )
        finally:
            del self._active[execution_id]

    async def _finish(
        self,
        execution_id: UUID,
        status: ExecutionStatus,
        *,
        output: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        try:
            trace_id = await self.repository.finish(
                execution_id, status, output=output, error=error
            )
        except Exception:
            logger.exception("could not record the end of execution %s", execution_id)
            return
        self._unfinished.discard(execution_id)
        if trace_id is not None:
            logger.info("execution %s %s", trace_id, status.value)
            await self.event_bus.publish(
                f"execution.{status.value}", {"trace_id": trace_id, "status": status}
            )
