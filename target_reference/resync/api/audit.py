"""Audit endpoints: log an event, search events, verify the trail."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from resync.api.dependencies import ServicesDep
from resync.api.schemas import (
    AuditEntryOut,
    AuditEventCreated,
    AuditEventIn,
    ProblemOut,
    VerifyOut,
)
from resync.core.audit.fence import AuditTrailStoppedError

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.post("/events", status_code=201)
async def log_event(body: AuditEventIn, services: ServicesDep) -> AuditEventCreated:
    try:
        entry_id = await services.audit.log_event(
            body.event_type,
            body.action,
            actor=body.actor,
            resource=body.resource,
            outcome=body.outcome,
            details=body.details,
        )
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    except AuditTrailStoppedError:
        raise HTTPException(status_code=503, detail="the service is stopping") from None
    return AuditEventCreated(entry_id=entry_id)


@router.get("/events")
async def search_events(
    services: ServicesDep,
    event_type: str | None = None,
    actor: str | None = None,
    resource: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntryOut]:
    entries = await services.audit.search_events(
        event_type=event_type, actor=actor, resource=resource, limit=limit
    )
    return [
        AuditEntryOut(
            entry_id=entry.entry_id,
            sequence=entry.sequence,
            timestamp=entry.timestamp,
            event_type=entry.event_type,
            action=entry.action,
            actor=entry.actor,
            resource=entry.resource,
            outcome=entry.outcome,
            details=entry.details,
            chain_hash=entry.chain_hash,
            key_id=entry.key_id,
        )
        for entry in entries
    ]


@router.get("/verify")
async def verify(services: ServicesDep) -> VerifyOut:
    """Verify the stored trail (entries still in memory are counted, not checked)."""
    report = await services.audit.verify_integrity()
    return VerifyOut(
        ok=report.ok,
        blocks_checked=report.blocks_checked,
        entries_checked=report.entries_checked,
        pending_entries=len(services.audit.pending_entries),
        problems=[
            ProblemOut(
                kind=problem.kind,
                scope=problem.scope,
                location=problem.location,
                block=problem.block,
                entry=problem.entry,
                detail=problem.detail,
            )
            for problem in report.problems
        ],
    )
