"""The checkpoint: a signed note of the last block written, so that removing blocks at
the end of the trail is detected too."""

import json
from dataclasses import asdict, dataclass

from resync.core.audit.entry import canonical_json
from resync.core.audit.keys import AuditKey, KeyManager, UnknownKeyError


@dataclass(frozen=True, slots=True)
class Checkpoint:
    block_seq: int
    last_sequence: int
    last_chain_hash: str
    key_id: str
    mac: str = ""

    @classmethod
    def signed(
        cls, block_seq: int, last_sequence: int, last_chain_hash: str, key: AuditKey
    ) -> "Checkpoint":
        unsigned = cls(block_seq, last_sequence, last_chain_hash, key.key_id)
        return cls(
            block_seq, last_sequence, last_chain_hash, key.key_id, unsigned._mac(key)
        )

    @classmethod
    def parse(cls, raw: bytes) -> "Checkpoint":
        """``ValueError`` if *raw* is not a checkpoint document."""
        try:
            checkpoint = cls(**json.loads(raw))
        except TypeError as exc:
            raise ValueError(f"malformed checkpoint: {exc}") from None
        if not isinstance(checkpoint.block_seq, int) or not isinstance(
            checkpoint.last_sequence, int
        ):
            raise ValueError("malformed checkpoint: sequence numbers are not integers")
        return checkpoint

    def is_authentic(self, keys: KeyManager) -> bool:
        try:
            key = keys.get(self.key_id)
        except UnknownKeyError:
            return False
        return key.verify(self._message(), self.mac)

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    def _message(self) -> bytes:
        fields = asdict(self)
        del fields["mac"]
        return canonical_json(fields)

    def _mac(self, key: AuditKey) -> str:
        return key.sign(self._message())
