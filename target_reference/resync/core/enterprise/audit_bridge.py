"""Records workflow events from the event bus in the audit trail."""

from resync.core.encrypted_audit import EncryptedAuditTrail
from resync.core.orchestration.events import EventBus, Payload

WORKFLOW_TOPICS = (
    "execution.created",
    "execution.started",
    "execution.succeeded",
    "execution.failed",
    "execution.cancelled",
)


class ExecutionAuditBridge:
    """While attached, every workflow event becomes an audit entry (identifiers and
    status only: never the workflow's input or output)."""

    def __init__(self, trail: EncryptedAuditTrail, bus: EventBus) -> None:
        self.trail = trail
        self.bus = bus
        self.attached = False

    def attach(self) -> None:
        if self.attached:
            return
        for topic in WORKFLOW_TOPICS:
            self.bus.subscribe(topic, self.record)
        self.attached = True

    def detach(self) -> None:
        for topic in WORKFLOW_TOPICS:
            self.bus.unsubscribe(topic, self.record)
        self.attached = False

    async def record(self, topic: str, payload: Payload) -> None:
        status = payload.get("status")
        await self.trail.log_event(
            "workflow",
            topic,
            actor=payload.get("user_id"),
            resource=payload.get("trace_id"),
            outcome="failure" if status == "failed" else "success",
            details={"status": status},
        )

    def __repr__(self) -> str:
        return f"ExecutionAuditBridge(attached={self.attached})"
