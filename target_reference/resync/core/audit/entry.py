"""Audit entries: canonical JSON, SHA-256 hash chaining and HMAC-SHA256 signatures."""

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resync.core.audit.keys import AuditKey

GENESIS_HASH = "0" * 64


def canonical_json(value: object) -> bytes:
    """The one byte form of a JSON value that hashes and signatures are computed over.

    Raises ``ValueError``/``TypeError`` for values JSON cannot represent (NaN, sets...).
    """
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


@dataclass(slots=True)
class AuditEntry:
    """One audited event. Sealed (sequence, chain hash, signature) when it is logged.

    Its ``repr`` shows only identifiers, never the event's content.
    """

    entry_id: str
    timestamp: float
    event_type: str
    action: str
    actor: str | None
    resource: str | None
    outcome: str
    details: dict[str, Any]
    sequence: int = 0
    previous_hash: str = ""
    chain_hash: str = ""
    signature: str = ""
    key_id: str = ""

    @classmethod
    def create(
        cls,
        event_type: str,
        action: str,
        *,
        actor: str | None = None,
        resource: str | None = None,
        outcome: str = "success",
        details: Mapping[str, object] | None = None,
    ) -> "AuditEntry":
        """A new unsealed entry; ``ValueError`` if *details* is not plain JSON."""
        try:
            copied = json.loads(canonical_json(dict(details or {})))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"audit details must be plain JSON: {exc}") from None
        return cls(
            entry_id=uuid.uuid4().hex,
            timestamp=time.time(),
            event_type=event_type,
            action=action,
            actor=actor,
            resource=resource,
            outcome=outcome,
            details=copied,
        )

    def content(self) -> dict[str, object]:
        """Everything the chain hash covers, besides the previous hash."""
        return {
            "entry_id": self.entry_id,
            "sequence": self.sequence,
            "timestamp": self.timestamp,
            "event_type": self.event_type,
            "action": self.action,
            "actor": self.actor,
            "resource": self.resource,
            "outcome": self.outcome,
            "details": self.details,
            "key_id": self.key_id,
        }

    def compute_chain_hash(self) -> str:
        digest = hashlib.sha256(self.previous_hash.encode("ascii"))
        digest.update(canonical_json(self.content()))
        return digest.hexdigest()

    def seal(self, sequence: int, previous_hash: str, key: AuditKey) -> None:
        """Number the entry, link it to its predecessor and sign it with *key*."""
        self.sequence = sequence
        self.previous_hash = previous_hash
        self.key_id = key.key_id
        self.chain_hash = self.compute_chain_hash()
        self.signature = key.sign(self.chain_hash.encode("ascii"))

    def is_intact(self, key: AuditKey) -> bool:
        """Whether content, chain hash and signature agree (constant-time compare).

        False, never an exception, for a record ``seal`` could not have made (text
        that cannot be encoded, a number JSON cannot represent).
        """
        try:
            expected = self.compute_chain_hash().encode("ascii")
            chain_hash = self.chain_hash.encode("ascii")
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(expected, chain_hash) and key.verify(
            chain_hash, self.signature
        )

    def to_record(self) -> dict[str, object]:
        return {
            **self.content(),
            "previous_hash": self.previous_hash,
            "chain_hash": self.chain_hash,
            "signature": self.signature,
        }

    @classmethod
    def from_record(cls, record: object) -> "AuditEntry":
        """Parse a stored record strictly; ``ValueError`` names the first bad field."""
        if not isinstance(record, dict):
            raise ValueError("entry record is not an object")
        details = record.get("details")
        if not isinstance(details, dict):
            raise ValueError("entry field 'details' is not an object")
        timestamp = record.get("timestamp")
        if not isinstance(timestamp, int | float) or isinstance(timestamp, bool):
            raise ValueError("entry field 'timestamp' is not a number")
        sequence = record.get("sequence")
        if not isinstance(sequence, int) or isinstance(sequence, bool):
            raise ValueError("entry field 'sequence' is not an integer")
        return cls(
            entry_id=_text(record, "entry_id"),
            timestamp=float(timestamp),
            event_type=_text(record, "event_type"),
            action=_text(record, "action"),
            actor=_optional_text(record, "actor"),
            resource=_optional_text(record, "resource"),
            outcome=_text(record, "outcome"),
            details=details,
            sequence=sequence,
            previous_hash=_text(record, "previous_hash"),
            chain_hash=_text(record, "chain_hash"),
            signature=_text(record, "signature"),
            key_id=_text(record, "key_id"),
        )

    def __repr__(self) -> str:
        return f"AuditEntry(entry_id={self.entry_id!r}, sequence={self.sequence})"


def _text(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str):
        raise ValueError(f"entry field {name!r} is not a string")
    return value


def _optional_text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"entry field {name!r} is not a string or null")
    return value
