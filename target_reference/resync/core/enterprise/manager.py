"""The enterprise manager: starts the compliance modules and stops them in reverse."""

import asyncio
import enum
import logging

from resync.core.audit.config import AuditConfig
from resync.core.encrypted_audit import EncryptedAuditTrail
from resync.core.enterprise.audit_bridge import ExecutionAuditBridge
from resync.core.orchestration.events import EventBus, event_bus

logger = logging.getLogger(__name__)


class ManagerState(enum.Enum):
    CREATED = "created"
    STARTING = "starting"
    RUNNING = "running"
    STOPPED = "stopped"


class EnterpriseManager:
    """Owns the encrypted audit trail and the bridge that audits workflow events.

    ``initialize`` starts them in that order (the audit trail's workers in the given
    TaskGroup); ``shutdown`` stops them in reverse order and is safe to call twice.
    """

    def __init__(self, audit_config: AuditConfig, bus: EventBus = event_bus) -> None:
        self._state = ManagerState.CREATED
        self._encrypted_audit = EncryptedAuditTrail(audit_config)
        self._audit_bridge = ExecutionAuditBridge(self._encrypted_audit, bus)

    @property
    def state(self) -> ManagerState:
        return self._state

    @property
    def audit_trail(self) -> EncryptedAuditTrail:
        return self._encrypted_audit

    async def initialize(self, tg: asyncio.TaskGroup | None = None) -> None:
        """Start the audit trail, then audit workflow events."""
        if self._state is not ManagerState.CREATED:
            raise RuntimeError(
                f"EnterpriseManager.initialize() called when {self._state.value}"
            )
        self._state = ManagerState.STARTING
        await self._encrypted_audit.start(tg=tg)
        self._audit_bridge.attach()
        self._state = ManagerState.RUNNING
        logger.info("Enterprise manager initialized")

    async def shutdown(self) -> None:
        """Stop auditing workflow events, then stop the audit trail (final flush)."""
        if self._state is ManagerState.STOPPED:
            return
        self._state = ManagerState.STOPPED
        self._audit_bridge.detach()
        await self._encrypted_audit.stop()
        logger.info("Enterprise manager stopped")

    def __repr__(self) -> str:
        return (
            f"<EnterpriseManager state={self._state.value} "
            f"audit={self._encrypted_audit!r}>"
        )
