"""The running services the HTTP API uses, published by the lifespan."""

from dataclasses import dataclass

from resync.core.encrypted_audit import EncryptedAuditTrail
from resync.core.orchestration.runner import OrchestrationRunner


@dataclass(frozen=True, slots=True)
class Services:
    runner: OrchestrationRunner
    audit: EncryptedAuditTrail
