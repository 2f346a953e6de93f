"""Persistence of configurations, executions and step runs (one session per call)."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resync.core.orchestration.executors import StepSpec
from resync.core.orchestration.models import (
    OPEN_STATUSES,
    Execution,
    ExecutionStatus,
    StepRun,
    Strategy,
    WorkflowConfig,
    utcnow,
)


class UnknownConfigError(LookupError):
    """No workflow configuration has this id."""


@dataclass(frozen=True, slots=True)
class WorkflowPlan:
    """What a starting execution runs."""

    execution_id: uuid.UUID
    trace_id: str
    strategy: Strategy
    steps: tuple[StepSpec, ...]
    input_data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StepView:
    name: str
    status: ExecutionStatus
    output: dict[str, Any] | None
    error: str | None
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class ExecutionView:
    trace_id: str
    config_id: uuid.UUID
    status: ExecutionStatus
    user_id: str | None
    output: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    steps: tuple[StepView, ...]


class ExecutionRepository:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def create_config(
        self, name: str, strategy: Strategy, steps: Sequence[StepSpec]
    ) -> uuid.UUID:
        config = WorkflowConfig(
            name=name, strategy=strategy, steps=[step.to_record() for step in steps]
        )
        async with self.session_factory() as session:
            session.add(config)
            await session.commit()
        return config.id

    async def create_execution(
        self,
        config_id: uuid.UUID,
        trace_id: str,
        input_data: dict[str, Any],
        user_id: str | None,
    ) -> Execution:
        """A new pending execution; ``UnknownConfigError`` for an unknown config."""
        async with self.session_factory() as session:
            if await session.get(WorkflowConfig, config_id) is None:
                raise UnknownConfigError(f"no workflow configuration {config_id}")
            execution = Execution(
                id=uuid.uuid4(),
                config_id=config_id,
                trace_id=trace_id,
                status=ExecutionStatus.PENDING,
                input_data=input_data,
                user_id=user_id,
            )
            session.add(execution)
            await session.commit()
        return execution

    async def begin(self, execution_id: uuid.UUID) -> WorkflowPlan | None:
        """Mark a pending execution running; None if it is no longer pending."""
        async with self.session_factory() as session:
            execution = await session.get(Execution, execution_id)
            if execution is None or execution.status is not ExecutionStatus.PENDING:
                return None
            config = await session.get(WorkflowConfig, execution.config_id)
            if config is None:
                return None
            execution.status = ExecutionStatus.RUNNING
            execution.started_at = utcnow()
            plan = WorkflowPlan(
                execution_id=execution.id,
                trace_id=execution.trace_id,
                strategy=config.strategy,
                steps=tuple(StepSpec.from_record(step) for step in config.steps),
                input_data=dict(execution.input_data),
            )
            await session.commit()
        return plan

    async def start_step(
        self, execution_id: uuid.UUID, name: str, position: int
    ) -> uuid.UUID:
        run = StepRun(
            id=uuid.uuid4(),
            execution_id=execution_id,
            step_name=name,
            position=position,
            status=ExecutionStatus.RUNNING,
        )
        async with self.session_factory() as session:
            session.add(run)
            await session.commit()
        return run.id

    async def finish_step(
        self,
        run_id: uuid.UUID,
        status: ExecutionStatus,
        *,
        output: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        async with self.session_factory() as session:
            await session.execute(
                update(StepRun)
                .where(StepRun.id == run_id)
                .values(status=status, output=output, error=error, finished_at=utcnow())
            )
            await session.commit()

    async def finish(
        self,
        execution_id: uuid.UUID,
        status: ExecutionStatus,
        *,
        output: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> str | None:
        """Close an open execution (and its open steps); its trace id, or None if it
        was already closed."""
        async with self.session_factory() as session:
            closed = await self._close(session, [execution_id], status, output, error)
            await session.commit()
        return closed[0] if closed else None

    async def cancel(
        self, execution_ids: Collection[uuid.UUID], reason: str
    ) -> list[str]:
        """Mark every open execution among *execution_ids* cancelled, in one committed
        transaction; the trace ids of those it closed."""
        async with self.session_factory() as session:
            closed = await self._close(
                session, list(execution_ids), ExecutionStatus.CANCELLED, None, reason
            )
            await session.commit()
        return closed

    async def get(self, trace_id: str) -> ExecutionView | None:
        async with self.session_factory() as session:
            execution = await session.scalar(
                select(Execution).where(Execution.trace_id == trace_id)
            )
            if execution is None:
                return None
            runs = await session.scalars(
                select(StepRun)
                .where(StepRun.execution_id == execution.id)
                .order_by(StepRun.position, StepRun.started_at)
            )
            steps = tuple(
                StepView(
                    run.step_name,
                    run.status,
                    run.output,
                    run.error,
                    run.started_at,
                    run.finished_at,
                )
                for run in runs
            )
        return ExecutionView(
            trace_id=execution.trace_id,
            config_id=execution.config_id,
            status=execution.status,
            user_id=execution.user_id,
            output=execution.output_data,
            error=execution.error,
            created_at=execution.created_at,
            started_at=execution.started_at,
            finished_at=execution.finished_at,
            steps=steps,
        )

    @staticmethod
    async def _close(
        session: AsyncSession,
        execution_ids: list[uuid.UUID],
        status: ExecutionStatus,
        output: dict[str, Any] | None,
        error: str | None,
    ) -> list[str]:
        """Close the open executions among *execution_ids*; steps still open were
        interrupted, so they are cancelled."""
        rows = await session.execute(
            select(Execution.id, Execution.trace_id).where(
                Execution.id.in_(execution_ids), Execution.status.in_(OPEN_STATUSES)
            )
        )
        still_open = {row.id: row.trace_id for row in rows}
        if not still_open:
            return []
        now = utcnow()
        await session.execute(
            update(Execution)
            .where(Execution.id.in_(still_open), Execution.status.in_(OPEN_STATUSES))
            .values(status=status, output_data=output, error=error, finished_at=now)
        )
        await session.execute(
            update(StepRun)
            .where(
                StepRun.execution_id.in_(still_open),
                StepRun.status.in_(OPEN_STATUSES),
            )
            .values(status=ExecutionStatus.CANCELLED, finished_at=now)
        )
        return list(still_open.values())
