"""Request and response bodies."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from resync.core.audit.entry import canonical_json
from resync.core.orchestration.models import ExecutionStatus, Strategy


def _plain_json(value: dict[str, Any]) -> dict[str, Any]:
    try:
        canonical_json(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"must be plain JSON ({exc})") from None
    return value


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuditEventIn(_Body):
    event_type: str = Field(min_length=1, max_length=100)
    action: str = Field(min_length=1, max_length=200)
    actor: str | None = Field(default=None, max_length=200)
    resource: str | None = Field(default=None, max_length=500)
    outcome: str = Field(default="success", min_length=1, max_length=50)
    details: dict[str, Any] = Field(default_factory=dict)

    _details_json = field_validator("details")(_plain_json)


class AuditEventCreated(BaseModel):
    entry_id: str


class AuditEntryOut(BaseModel):
    entry_id: str
    sequence: int
    timestamp: float
    event_type: str
    action: str
    actor: str | None
    resource: str | None
    outcome: str
    details: dict[str, Any]
    chain_hash: str
    key_id: str


class ProblemOut(BaseModel):
    kind: str
    scope: str
    location: str
    block: int | None
    entry: int | None
    detail: str


class VerifyOut(BaseModel):
    ok: bool
    blocks_checked: int
    entries_checked: int
    pending_entries: int
    problems: list[ProblemOut]


class StepIn(_Body):
    name: str = Field(min_length=1, max_length=200)
    executor: str = Field(min_length=1, max_length=100)
    params: dict[str, Any] = Field(default_factory=dict)

    _params_json = field_validator("params")(_plain_json)


class ConfigIn(_Body):
    name: str = Field(min_length=1, max_length=200)
    strategy: Strategy = Strategy.SEQUENTIAL
    steps: list[StepIn] = Field(min_length=1, max_length=100)


class ConfigCreated(BaseModel):
    config_id: UUID


class ExecutionIn(_Body):
    config_id: UUID
    input_data: dict[str, Any] = Field(default_factory=dict)
    user_id: str | None = Field(default=None, max_length=200)

    _input_json = field_validator("input_data")(_plain_json)


class ExecutionAccepted(BaseModel):
    trace_id: str


class StepOut(BaseModel):
    name: str
    status: ExecutionStatus
    output: dict[str, Any] | None
    error: str | None
    started_at: datetime
    finished_at: datetime | None


class ExecutionOut(BaseModel):
    trace_id: str
    config_id: UUID
    status: ExecutionStatus
    user_id: str | None
    output: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    steps: list[StepOut]
