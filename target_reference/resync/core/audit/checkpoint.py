"""The checkpoint: a signed note of the trail's head (the last block written, and the
sequence number and chain hash of its last entry).

It is written after every block twice: ``checkpoint.json`` in the storage directory,
and the anchor next to the key file (see ``resync.core.audit.head``), so that removing
blocks at the end of the trail, or rolling the checkpoint back, is detected.
"""

from dataclasses import asdict, dataclass, replace

from resync.core.audit.blocks import MAX_BLOCK_SEQ
from resync.core.audit.entry import canonical_json
from resync.core.audit.keys import AuditKey, KeyManager
from resync.core.audit.records import (
    HEX_DIGEST,
    KEY_ID,
    MAX_SEQUENCE,
    integer,
    load_record,
    mac_matches,
    mac_message,
    matching,
    one_of,
)

CHECKPOINT_VERSION = 2
_MAC_DOMAIN = b"resync-audit/checkpoint\n"
_FIELDS = {
    "version": one_of(CHECKPOINT_VERSION),
    "block_seq": integer(1, MAX_BLOCK_SEQ),
    "last_sequence": integer(1, MAX_SEQUENCE),
    "last_chain_hash": matching(HEX_DIGEST),
    "key_id": matching(KEY_ID),
    "mac": matching(HEX_DIGEST),
}


@dataclass(frozen=True, slots=True)
class Checkpoint:
    block_seq: int
    last_sequence: int
    last_chain_hash: str
    key_id: str
    mac: str = ""
    version: int = CHECKPOINT_VERSION

    @classmethod
    def signed(
        cls, block_seq: int, last_sequence: int, last_chain_hash: str, key: AuditKey
    ) -> "Checkpoint":
        unsigned = cls(block_seq, last_sequence, last_chain_hash, key.key_id)
        return replace(unsigned, mac=key.sign(unsigned._message()))

    @classmethod
    def parse(cls, raw: bytes) -> "Checkpoint":
        """Strictly, *not* authenticated; ``ValueError`` unless it is a checkpoint."""
        fields = load_record(raw, _FIELDS, "checkpoint")
        return cls(**fields)  # type: ignore[arg-type]  # checked by load_record

    def is_authentic(self, keys: KeyManager) -> bool:
        return mac_matches(keys, self.key_id, self._message(), self.mac)

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    def _message(self) -> bytes:
        return mac_message(_MAC_DOMAIN, asdict(self))
