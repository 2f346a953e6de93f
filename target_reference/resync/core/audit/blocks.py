"""The block format: a header line (JSON, authenticated) and AES-256-GCM ciphertext.

A block file is ``<header JSON>\\n<12-byte nonce><ciphertext and tag>``. The header
carries an HMAC-SHA256 over its other fields (``mac``), so it is authenticated on its
own, before anything is taken from it, without decrypting the block; it is also the
additional authenticated data of the encryption, so changing any byte of the file makes
decryption fail. The plaintext is the JSON list of the block's entry records,
zlib-compressed in archived blocks (``"compression": "zlib"``).

A header's ``anomaly`` is empty, or says what was wrong with the trail's checkpoint when
the store was opened before this block was written (see ``resync.core.audit.head``):
the evidence stays in the trail after the checkpoint is written anew.
"""

import json
import os
import re
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from resync.core.audit.entry import AuditEntry, canonical_json
from resync.core.audit.keys import AuditKey, KeyManager
from resync.core.audit.records import (
    HEX_DIGEST,
    KEY_ID,
    MAX_RECORD_BYTES,
    MAX_SEQUENCE,
    RecordError,
    as_short_text,
    finite_number,
    integer,
    load_record,
    mac_matches,
    mac_message,
    matching,
    one_of,
    short_text,
)

FORMAT_VERSION = 2
NONCE_BYTES = 12
COMPRESSIONS = ("none", "zlib")
ACTIVE_DIR = "blocks"
ARCHIVE_DIR = "archive"
#: Block numbers have at least 8 digits, at most 12 (a block a second for 30,000 years).
MAX_BLOCK_SEQ = 10**12 - 1
BLOCK_NAME = re.compile(r"block-([0-9]{8,12})\.aeb")
MAX_ANOMALY_CHARS = 600
_MAC_DOMAIN = b"resync-audit/block-header\n"
_FIELDS = {
    "version": one_of(FORMAT_VERSION),
    "seq": integer(1, MAX_BLOCK_SEQ),
    "key_id": matching(KEY_ID),
    "created_at": finite_number,
    "first_sequence": integer(1, MAX_SEQUENCE),
    "last_sequence": integer(1, MAX_SEQUENCE),
    "entry_count": integer(1, MAX_SEQUENCE),
    "last_chain_hash": matching(HEX_DIGEST),
    "compression": one_of(*COMPRESSIONS),
    "anomaly": short_text(MAX_ANOMALY_CHARS),
    "mac": matching(HEX_DIGEST),
}


def block_file_name(seq: int) -> str:
    return f"block-{seq:08d}.aeb"


def parse_block_name(name: str) -> int | None:
    """The block number a file name stands for; None unless it is exactly the name
    ``block_file_name`` gives (no extra leading zeros, within ``MAX_BLOCK_SEQ``)."""
    match = BLOCK_NAME.fullmatch(name)
    if match is None:
        return None
    seq = int(match.group(1))
    return seq if 1 <= seq and block_file_name(seq) == name else None


class BlockError(ValueError):
    """A block that cannot be authenticated or parsed; the message says why."""


@dataclass(frozen=True, slots=True)
class BlockHeader:
    seq: int
    key_id: str
    created_at: float
    first_sequence: int
    last_sequence: int
    entry_count: int
    last_chain_hash: str
    compression: str = "none"
    anomaly: str = ""
    version: int = FORMAT_VERSION
    mac: str = ""

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    def signed(self, key: AuditKey) -> "BlockHeader":
        """This header with its MAC, made with *key* (the key it names)."""
        return replace(self, mac=key.sign(self._message()))

    def is_authentic(self, keys: KeyManager) -> bool:
        return mac_matches(keys, self.key_id, self._message(), self.mac)

    def _message(self) -> bytes:
        return mac_message(_MAC_DOMAIN, asdict(self))

    @classmethod
    def parse(cls, raw: bytes) -> "BlockHeader":
        """Strictly, *not* authenticated; ``BlockError`` if malformed."""
        try:
            fields = load_record(raw, _FIELDS, "block header")
        except RecordError as exc:
            raise BlockError(str(exc)) from None
        return cls(**fields)  # type: ignore[arg-type]  # checked by load_record


def encode_block(
    seq: int,
    entries: Sequence[AuditEntry],
    key: AuditKey,
    *,
    created_at: float,
    compression: str = "none",
    anomaly: str = "",
) -> bytes:
    """Encrypt *entries* (sealed, in order) into the bytes of block *seq*."""
    if not entries:
        raise ValueError("a block holds at least one entry")
    header = BlockHeader(
        seq=seq,
        key_id=key.key_id,
        created_at=created_at,
        first_sequence=entries[0].sequence,
        last_sequence=entries[-1].sequence,
        entry_count=len(entries),
        last_chain_hash=entries[-1].chain_hash,
        compression=compression,
        anomaly=as_short_text(anomaly, MAX_ANOMALY_CHARS),
    )
    return _seal(header, canonical_json([entry.to_record() for entry in entries]), key)


def read_header(data: bytes) -> BlockHeader:
    """The header of a block, parsed strictly but *not* authenticated: only for
    naming the key a block claims in a message. ``authenticated_header`` otherwise."""
    raw, newline, _ = data[: MAX_RECORD_BYTES + 1].partition(b"\n")
    if not newline:
        raise BlockError("block has no header line")
    return BlockHeader.parse(raw)


def authenticated_header(data: bytes, keys: KeyManager) -> BlockHeader:
    """The header of a block, once its MAC checks; ``BlockError`` otherwise."""
    header = read_header(data)
    if header.key_id not in keys.key_ids:
        raise BlockError(
            f"the header names key {header.key_id!r}, which the key file does not hold"
        )
    if not header.is_authentic(keys):
        raise BlockError("authentication failed: the block header was modified")
    return header


def decode_block(data: bytes, keys: KeyManager) -> tuple[BlockHeader, list[AuditEntry]]:
    """Authenticate and decrypt a block; ``BlockError`` if anything does not match."""
    header = authenticated_header(data, keys)
    raw, _, sealed = data.partition(b"\n")
    key = keys.get(header.key_id)
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plaintext = AESGCM(key.encryption_key).decrypt(nonce, ciphertext, raw)
    except (InvalidTag, ValueError):
        raise BlockError("authentication failed: the block was modified") from None
    try:
        if header.compression == "zlib":
            plaintext = zlib.decompress(plaintext)
        entries = [AuditEntry.from_record(item) for item in json.loads(plaintext)]
    except (ValueError, TypeError, RecursionError, zlib.error) as exc:
        raise BlockError(f"undecodable entries: {type(exc).__name__}") from None
    if (
        len(entries) != header.entry_count
        or entries[0].sequence != header.first_sequence
        or entries[-1].sequence != header.last_sequence
    ):
        raise BlockError("the header does not match the block's entries")
    return header, entries


def compress_block(data: bytes, keys: KeyManager) -> bytes:
    """The archived form of a block: same header fields and key, zlib-compressed."""
    header, entries = decode_block(data, keys)
    if header.compression == "zlib":
        return data
    plaintext = canonical_json([entry.to_record() for entry in entries])
    archived = replace(header, compression="zlib")
    return _seal(archived, zlib.compress(plaintext, level=9), keys.get(header.key_id))


def _seal(header: BlockHeader, plaintext: bytes, key: AuditKey) -> bytes:
    raw = header.signed(key).to_bytes()
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key.encryption_key).encrypt(nonce, plaintext, raw)
    return raw + b"\n" + nonce + ciphertext
