"""Block storage on disk: active blocks, the compressed archive and the checkpoint.

Every operation runs in a worker thread, one at a time, so the event loop never blocks
on disk I/O and no reader sees an archival half done. Layout under the storage
directory: ``blocks/block-NNNNNNNN.aeb``, ``archive/block-NNNNNNNN.aeb``,
``checkpoint.json``.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from resync.core.audit.blocks import (
    ACTIVE_DIR,
    ARCHIVE_DIR,
    BLOCK_NAME,
    BlockError,
    block_file_name,
    compress_block,
    decode_block,
    encode_block,
    read_header,
)
from resync.core.audit.checkpoint import Checkpoint
from resync.core.audit.entry import GENESIS_HASH, AuditEntry
from resync.core.audit.files import (
    atomic_write,
    ensure_private_directory,
    fsync_directory,
)
from resync.core.audit.integrity import IntegrityReport, StoredBlock, check_integrity
from resync.core.audit.keys import AuditKey, KeyManager

logger = logging.getLogger(__name__)

T = TypeVar("T")
CHECKPOINT_FILE = "checkpoint.json"


class BlockStore:
    """Writes sealed entries as encrypted blocks and reads them back.

    Keys that cannot read the stored trail are refused (``KeyFileError``) on opening,
    before anything is written.
    """

    def __init__(self, root: Path, keys: KeyManager) -> None:
        self.root = root
        self.keys = keys
        self.active_dir = root / ACTIVE_DIR
        self.archive_dir = root / ARCHIVE_DIR
        self.checkpoint_file = root / CHECKPOINT_FILE
        ensure_private_directory(self.active_dir)
        ensure_private_directory(self.archive_dir)
        self._lock = asyncio.Lock()
        self._check_keys()
        keys.save_new()
        self.next_block_seq, self.last_sequence, self.last_chain_hash = (
            self._load_head()
        )

    async def write_block(self, entries: Sequence[AuditEntry]) -> int | None:
        """Write the entries not yet stored as the next block; its number, or None.

        Entries at or below ``last_sequence`` are already on disk and skipped, so a
        batch written by a flush that was then cancelled is never stored twice.
        """
        async with self._lock:
            fresh = [entry for entry in entries if entry.sequence > self.last_sequence]
            if not fresh:
                return None
            seq = self.next_block_seq
            await self._in_thread(lambda: self._write(seq, fresh))
            return seq

    async def read_blocks(self) -> tuple[list[StoredBlock], bytes | None]:
        """Every block file (active and archived) and the checkpoint, as stored."""
        async with self._lock:
            return await self._in_thread(self._read_all)

    async def verify(self) -> IntegrityReport:
        async with self._lock:
            blocks, checkpoint = await self._in_thread(self._read_all)
            return await self._in_thread(
                lambda: check_integrity(blocks, checkpoint, self.keys)
            )

    async def load_entries(self) -> list[AuditEntry]:
        """The entries of every block that authenticates, in block order."""
        async with self._lock:
            return await self._in_thread(self._load_entries)

    async def archive(self, older_than: float) -> int:
        """Compress active blocks created before *older_than* into the archive."""
        async with self._lock:
            return await self._in_thread(lambda: self._archive(older_than))

    async def rotate_key(self) -> AuditKey:
        async with self._lock:
            return await self._in_thread(self.keys.rotate)

    def __repr__(self) -> str:
        return (
            f"BlockStore(root={str(self.root)!r}, next_block={self.next_block_seq}, "
            f"last_sequence={self.last_sequence})"
        )

    # -- blocking parts, run in a worker thread ------------------------------------

    def _write(self, seq: int, entries: list[AuditEntry]) -> None:
        key = self.keys.active_key
        data = encode_block(seq, entries, key, created_at=time.time())
        atomic_write(self.active_dir / block_file_name(seq), data)
        self.next_block_seq = seq + 1
        self.last_sequence = entries[-1].sequence
        self.last_chain_hash = entries[-1].chain_hash
        checkpoint = Checkpoint.signed(
            seq, self.last_sequence, self.last_chain_hash, key
        )
        try:
            atomic_write(self.checkpoint_file, checkpoint.to_bytes())
        except OSError as exc:
            # The block is durable; the next block's checkpoint supersedes this one.
            logger.error("audit checkpoint not updated after block %d: %s", seq, exc)

    def _files(self) -> list[tuple[int, bool, Path]]:
        found = []
        for archived, directory in ((False, self.active_dir), (True, self.archive_dir)):
            for path in directory.iterdir():
                match = BLOCK_NAME.fullmatch(path.name)
                if match is not None:
                    found.append((int(match.group(1)), archived, path))
        return sorted(found)

    def _read_all(self) -> tuple[list[StoredBlock], bytes | None]:
        blocks = [
            StoredBlock(
                str(path.relative_to(self.root)), seq, archived, path.read_bytes()
            )
            for seq, archived, path in self._files()
        ]
        try:
            checkpoint = self.checkpoint_file.read_bytes()
        except FileNotFoundError:
            checkpoint = None
        return blocks, checkpoint

    def _load_entries(self) -> list[AuditEntry]:
        entries: dict[int, AuditEntry] = {}
        for block in self._read_all()[0]:
            try:
                _, decoded = decode_block(block.data, self.keys)
            except BlockError as exc:
                logger.warning("audit block %s skipped: %s", block.name, exc)
                continue
            for entry in decoded:
                entries.setdefault(entry.sequence, entry)
        return [entries[sequence] for sequence in sorted(entries)]

    def _archive(self, older_than: float) -> int:
        archived = 0
        for _, is_archived, path in self._files():
            if is_archived:
                continue
            data = path.read_bytes()
            target = self.archive_dir / path.name
            try:
                if read_header(data).created_at >= older_than:
                    continue
                if not target.exists():
                    atomic_write(target, compress_block(data, self.keys))
            except BlockError as exc:
                logger.warning("audit block %s not archived: %s", path.name, exc)
                continue
            path.unlink()
            archived += 1
        if archived:
            fsync_directory(self.active_dir)
            logger.info("archived %d audit block(s)", archived)
        return archived

    def _check_keys(self) -> None:
        """Refuse keys that cannot read the newest block or the checkpoint (a missing
        or wrong key file), before a new key or block is written next to them."""
        files = self._files()
        if files:
            try:
                header = read_header(files[-1][2].read_bytes())
            except BlockError:
                pass  # unreadable: verify_integrity reports it
            else:
                name = files[-1][2].relative_to(self.root)
                self.keys.check_reads(header.key_id, f"audit block {name}")
        try:
            checkpoint = Checkpoint.parse(self.checkpoint_file.read_bytes())
        except (OSError, ValueError):
            return
        self.keys.check_reads(checkpoint.key_id, f"{self.checkpoint_file}")

    def _load_head(self) -> tuple[int, int, str]:
        """Next block number and the last persisted entry's sequence and hash."""
        files = self._files()
        heads = []
        try:
            checkpoint = Checkpoint.parse(self.checkpoint_file.read_bytes())
        except (OSError, ValueError):
            checkpoint = None
        if checkpoint is not None and checkpoint.is_authentic(self.keys):
            heads.append(
                (
                    checkpoint.block_seq,
                    checkpoint.last_sequence,
                    checkpoint.last_chain_hash,
                )
            )
        if files:
            try:
                header = read_header(files[-1][2].read_bytes())
                heads.append((header.seq, header.last_sequence, header.last_chain_hash))
            except BlockError:
                pass
        block_seq, last_sequence, last_hash = max(heads, default=(0, 0, GENESIS_HASH))
        newest_file = files[-1][0] if files else 0
        return max(block_seq, newest_file) + 1, last_sequence, last_hash

    @staticmethod
    async def _in_thread(function: Callable[[], T]) -> T:
        """Run *function* in a thread. A thread cannot be stopped, so if the caller is
        cancelled meanwhile, wait for the thread to end before the cancellation goes on
        (the store's bookkeeping then still matches the disk)."""
        future = asyncio.get_running_loop().run_in_executor(None, function)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await asyncio.wait([future])
            raise
