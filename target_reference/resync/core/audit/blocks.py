"""The block format: a header line (JSON, authenticated) and AES-256-GCM ciphertext.

A block file is ``<header JSON>\\n<12-byte nonce><ciphertext and tag>``. The header is
the additional authenticated data, so changing any byte of the file makes decryption
fail. The plaintext is the JSON list of the block's entry records, zlib-compressed in
archived blocks (``"compression": "zlib"``).
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
from resync.core.audit.keys import AuditKey, KeyManager, UnknownKeyError

FORMAT_VERSION = 1
NONCE_BYTES = 12
COMPRESSIONS = ("none", "zlib")
ACTIVE_DIR = "blocks"
ARCHIVE_DIR = "archive"
BLOCK_NAME = re.compile(r"block-(\d{8})\.aeb")


def block_file_name(seq: int) -> str:
    return f"block-{seq:08d}.aeb"


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
    version: int = FORMAT_VERSION

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def parse(cls, raw: bytes) -> "BlockHeader":
        try:
            fields = json.loads(raw)
            header = cls(**fields)
        except (ValueError, TypeError) as exc:
            raise BlockError(f"malformed block header: {exc}") from None
        if header.version != FORMAT_VERSION or header.compression not in COMPRESSIONS:
            raise BlockError("unsupported block format")
        return header


def encode_block(
    seq: int,
    entries: Sequence[AuditEntry],
    key: AuditKey,
    *,
    created_at: float,
    compression: str = "none",
) -> bytes:
    """Encrypt *entries* (sealed, consecutive) into the bytes of block *seq*."""
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
    )
    return _seal(header, canonical_json([entry.to_record() for entry in entries]), key)


def read_header(data: bytes) -> BlockHeader:
    """The header of a block, *not* authenticated (for bookkeeping only)."""
    raw, newline, _ = data.partition(b"\n")
    if not newline:
        raise BlockError("block has no header line")
    return BlockHeader.parse(raw)


def decode_block(data: bytes, keys: KeyManager) -> tuple[BlockHeader, list[AuditEntry]]:
    """Authenticate and decrypt a block; ``BlockError`` if anything does not match."""
    raw, _, sealed = data.partition(b"\n")
    header = read_header(data)
    try:
        key = keys.get(header.key_id)
    except UnknownKeyError as exc:
        raise BlockError(str(exc)) from None
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plaintext = AESGCM(key.encryption_key).decrypt(nonce, ciphertext, raw)
    except (InvalidTag, ValueError):
        raise BlockError("authentication failed: the block was modified") from None
    try:
        if header.compression == "zlib":
            plaintext = zlib.decompress(plaintext)
        entries = [AuditEntry.from_record(item) for item in json.loads(plaintext)]
    except (ValueError, TypeError, zlib.error) as exc:
        raise BlockError(f"undecodable entries: {exc}") from None
    if (
        len(entries) != header.entry_count
        or not entries
        or entries[0].sequence != header.first_sequence
        or entries[-1].sequence != header.last_sequence
    ):
        raise BlockError("the header does not match the block's entries")
    return header, entries


def compress_block(data: bytes, keys: KeyManager) -> bytes:
    """The archived form of a block: same header and key, zlib-compressed plaintext."""
    header, entries = decode_block(data, keys)
    if header.compression == "zlib":
        return data
    plaintext = canonical_json([entry.to_record() for entry in entries])
    archived = replace(header, compression="zlib")
    return _seal(archived, zlib.compress(plaintext, level=9), keys.get(header.key_id))


def _seal(header: BlockHeader, plaintext: bytes, key: AuditKey) -> bytes:
    raw = header.to_bytes()
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key.encryption_key).encrypt(nonce, plaintext, raw)
    return raw + b"\n" + nonce + ciphertext
