"""Audit keys: AES-256-GCM encryption keys and HMAC-SHA256 keys, kept in a 0600 file.

Rotation adds a key and makes it active; older keys stay so that old blocks and
signatures remain readable. Key material never appears in a ``repr`` or a log. A key
file that is missing or wrong for the stored trail is refused before anything is
written (see ``BlockStore``).
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from resync.core.audit.files import atomic_write, ensure_private_directory

KEY_FILE_VERSION = 1


class KeyFileError(RuntimeError):
    """The key file is unreadable, malformed or readable by others."""


class UnknownKeyError(LookupError):
    """No key with this id is in the key file."""


@dataclass(frozen=True, slots=True)
class AuditKey:
    key_id: str
    created_at: float
    encryption_key: bytes = field(repr=False)
    mac_key: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> "AuditKey":
        return cls(
            key_id=secrets.token_hex(8),
            created_at=time.time(),
            encryption_key=AESGCM.generate_key(bit_length=256),
            mac_key=secrets.token_bytes(32),
        )

    def sign(self, message: bytes) -> str:
        return hmac.new(self.mac_key, message, hashlib.sha256).hexdigest()

    def verify(self, message: bytes, signature: str) -> bool:
        """Constant-time; False for any text that is not this MAC (never raises)."""
        expected = self.sign(message).encode("ascii")
        return hmac.compare_digest(expected, signature.encode("utf-8", "surrogatepass"))


class KeyManager:
    """Loads the key file. If it is missing, a first key is made in memory; ``save_new``
    writes it (mode 0600) once the caller knows no stored data needs other keys."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = key_file
        self.is_new = not key_file.exists()
        if self.is_new:
            first = AuditKey.generate()
            self._keys, self._active_id = {first.key_id: first}, first.key_id
        else:
            self._keys, self._active_id = _load(key_file)

    def save_new(self) -> None:
        """Write the key file made in memory, if that is what this manager holds."""
        if self.is_new:
            ensure_private_directory(self.key_file.parent)
            self._save()
            self.is_new = False

    def check_reads(self, key_id: str, what: str) -> None:
        """``KeyFileError`` unless *key_id*, which *what* was written with, is held."""
        if key_id in self._keys:
            return
        if self.is_new:
            raise KeyFileError(
                f"audit key file {self.key_file} is missing, but {what} exists: "
                "restore the key file"
            )
        raise KeyFileError(
            f"audit key file {self.key_file} holds no key {key_id!r}, which {what} "
            "was written with: wrong key file"
        )

    @property
    def active_key(self) -> AuditKey:
        return self._keys[self._active_id]

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def get(self, key_id: str) -> AuditKey:
        try:
            return self._keys[key_id]
        except KeyError:
            raise UnknownKeyError(f"no audit key with id {key_id!r}") from None

    def rotate(self) -> AuditKey:
        """Add a new active key; the file is replaced atomically. Blocking I/O."""
        new = AuditKey.generate()
        previous_keys, previous_active = self._keys, self._active_id
        # Readers in other threads must always find the active key among the keys.
        self._keys = {**previous_keys, new.key_id: new}
        self._active_id = new.key_id
        try:
            self._save()
        except BaseException:
            self._active_id = previous_active
            self._keys = previous_keys
            raise
        return new

    def _save(self) -> None:
        document = {
            "version": KEY_FILE_VERSION,
            "active_key_id": self._active_id,
            "keys": [
                {
                    "key_id": key.key_id,
                    "created_at": key.created_at,
                    "encryption_key": base64.b64encode(key.encryption_key).decode(),
                    "mac_key": base64.b64encode(key.mac_key).decode(),
                }
                for key in self._keys.values()
            ],
        }
        atomic_write(self.key_file, json.dumps(document).encode(), mode=0o600)

    def __repr__(self) -> str:
        return (
            f"KeyManager(key_file={str(self.key_file)!r}, keys={len(self._keys)}, "
            f"active={self._active_id!r})"
        )


def _load(key_file: Path) -> tuple[dict[str, AuditKey], str]:
    mode = stat.S_IMODE(os.stat(key_file).st_mode)
    if mode & 0o077:
        raise KeyFileError(
            f"audit key file {key_file} has mode {mode:04o}; it must be 0600"
        )
    try:
        document = json.loads(key_file.read_bytes())
        keys = {key.key_id: key for key in map(_parse_key, document["keys"])}
        active = document["active_key_id"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"audit key file {key_file} is unreadable: {exc}") from None
    if not isinstance(active, str) or active not in keys:
        raise KeyFileError(f"audit key file {key_file} names no valid active key")
    return keys, active


def _parse_key(record: Any) -> AuditKey:
    encryption_key = base64.b64decode(record["encryption_key"], validate=True)
    mac_key = base64.b64decode(record["mac_key"], validate=True)
    if len(encryption_key) != 32 or len(mac_key) != 32:
        raise ValueError("a key has the wrong length")
    return AuditKey(
        key_id=str(record["key_id"]),
        created_at=float(record["created_at"]),
        encryption_key=encryption_key,
        mac_key=mac_key,
    )
