"""Tables of the orchestration: workflow configurations, executions and step runs."""

import enum
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from resync.core.database import Base


class ExecutionStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_STATUSES = (ExecutionStatus.PENDING, ExecutionStatus.RUNNING)


class Strategy(enum.StrEnum):
    SEQUENTIAL = "sequential"
    PARALLEL = "parallel"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _values(choices: type[enum.StrEnum]) -> list[str]:
    return [choice.value for choice in choices]


def _status_column() -> Mapped[ExecutionStatus]:
    return mapped_column(
        Enum(ExecutionStatus, native_enum=False, length=16, values_callable=_values),
        index=True,
    )


class WorkflowConfig(Base):
    __tablename__ = "workflow_configs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    strategy: Mapped[Strategy] = mapped_column(
        Enum(Strategy, native_enum=False, length=16, values_callable=_values)
    )
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )


class Execution(Base):
    __tablename__ = "executions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    config_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_configs.id"))
    trace_id: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[ExecutionStatus] = _status_column()
    user_id: Mapped[str | None] = mapped_column(String(200))
    input_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    output_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StepRun(Base):
    __tablename__ = "step_runs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    execution_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("executions.id"), index=True
    )
    step_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[ExecutionStatus] = _status_column()
    output: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
