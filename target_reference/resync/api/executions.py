"""Workflow endpoints: configurations and executions."""

from fastapi import APIRouter, HTTPException

from resync.api.dependencies import ServicesDep
from resync.api.schemas import (
    ConfigCreated,
    ConfigIn,
    ExecutionAccepted,
    ExecutionIn,
    ExecutionOut,
    StepOut,
)
from resync.core.orchestration.executors import StepSpec
from resync.core.orchestration.repository import UnknownConfigError

router = APIRouter(prefix="/api/v1", tags=["executions"])


@router.post("/configs", status_code=201)
async def create_config(body: ConfigIn, services: ServicesDep) -> ConfigCreated:
    steps = [StepSpec(step.name, step.executor, step.params) for step in body.steps]
    try:
        config_id = await services.runner.create_config(body.name, body.strategy, steps)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return ConfigCreated(config_id=config_id)


@router.post("/executions", status_code=202)
async def start_execution(
    body: ExecutionIn, services: ServicesDep
) -> ExecutionAccepted:
    try:
        trace_id = await services.runner.start_execution(
            body.config_id, body.input_data, user_id=body.user_id
        )
    except UnknownConfigError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except RuntimeError as exc:  # the runner is stopping
        raise HTTPException(status_code=503, detail=str(exc)) from None
    return ExecutionAccepted(trace_id=trace_id)


@router.get("/executions/{trace_id}")
async def get_execution(trace_id: str, services: ServicesDep) -> ExecutionOut:
    view = await services.runner.get_execution(trace_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no execution {trace_id}")
    return ExecutionOut(
        trace_id=view.trace_id,
        config_id=view.config_id,
        status=view.status,
        user_id=view.user_id,
        output=view.output,
        error=view.error,
        created_at=view.created_at,
        started_at=view.started_at,
        finished_at=view.finished_at,
        steps=[
            StepOut(
                name=step.name,
                status=step.status,
                output=step.output,
                error=step.error,
                started_at=step.started_at,
                finished_at=step.finished_at,
            )
            for step in view.steps
        ],
    )
