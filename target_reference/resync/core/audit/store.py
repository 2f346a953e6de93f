"""Block storage on disk: active blocks, the compressed archive and the checkpoint.

Every operation runs in a worker thread, one at a time, so the event loop never blocks
on disk I/O and no reader sees an archival half done. Layout under the storage
directory: ``blocks/block-NNNNNNNN.aeb``, ``archive/block-NNNNNNNN.aeb``,
``checkpoint.json``; the checkpoint's anchor is kept next to the key file (see
``resync.core.audit.head``).
"""

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from resync.core.audit.archival import archive_blocks
from resync.core.audit.blocks import (
    ACTIVE_DIR,
    ARCHIVE_DIR,
    MAX_BLOCK_SEQ,
    BlockError,
    authenticated_header,
    block_file_name,
    decode_block,
    encode_block,
    parse_block_name,
)
from resync.core.audit.checkpoint import Checkpoint
from resync.core.audit.entry import AuditEntry
from resync.core.audit.files import (
    atomic_write,
    ensure_private_directory,
    read_regular_file,
)
from resync.core.audit.head import (
    ANCHOR_LABEL,
    CHECKPOINT_FILE,
    CHECKPOINT_LABEL,
    Head,
    StoredCopy,
    anchor_file_for,
    assess_head,
    read_copy,
)
from resync.core.audit.integrity import (
    IntegrityProblem,
    IntegrityReport,
    StoredBlock,
    check_integrity,
)
from resync.core.audit.keys import AuditKey, KeyManager
from resync.core.audit.opening import BlockFile, check_keys, newest_authentic_header
from resync.core.audit.records import MAX_RECORD_BYTES

logger = logging.getLogger(__name__)

T = TypeVar("T")


class BlockStore:
    """Writes sealed entries as encrypted blocks and reads them back.

    Keys that cannot read the stored trail are refused (``KeyFileError``) on opening,
    before anything is written. What is wrong with the checkpoint on opening is logged
    and recorded in the next block's header (its ``anomaly``).
    """

    def __init__(self, root: Path, keys: KeyManager) -> None:
        self.root = root
        self.keys = keys
        self.active_dir = root / ACTIVE_DIR
        self.archive_dir = root / ARCHIVE_DIR
        self.checkpoint_file = root / CHECKPOINT_FILE
        self.anchor_file = anchor_file_for(keys.key_file)
        for directory in (root, self.active_dir, self.archive_dir):
            ensure_private_directory(directory)
        self._lock = asyncio.Lock()
        files, copies = self._files(), self._read_copies()
        check_keys(keys, files, copies, root)
        keys.save_new()
        ensure_private_directory(self.anchor_file.parent)  # the key file's too
        self.head, self._anomaly = self._open_head(files, copies)

    @property
    def next_block_seq(self) -> int:
        return self.head.block_seq + 1

    @property
    def last_sequence(self) -> int:
        return self.head.last_sequence

    @property
    def last_chain_hash(self) -> str:
        return self.head.last_chain_hash

    async def write_block(self, entries: Sequence[AuditEntry]) -> int | None:
        """Write the entries not yet stored as the next block; its number, or None.

        Entries at or below ``last_sequence`` are already on disk and skipped, so a
        batch written by a flush that was then cancelled is never stored twice.
        """
        async with self._lock:
            fresh = [entry for entry in entries if entry.sequence > self.last_sequence]
            if not fresh:
                return None
            return await self._in_thread(lambda: self._write(fresh))

    async def verify(self) -> IntegrityReport:
        """Check the stored trail; problems are reported, never raised."""
        async with self._lock:
            return await self._in_thread(self._verify)

    async def load_entries(self) -> list[AuditEntry]:
        """The entries of every block that authenticates, in block order."""
        async with self._lock:
            return await self._in_thread(self._load_entries)

    async def archive(self, older_than: float) -> int:
        """Compress active blocks created before *older_than* into the archive."""
        async with self._lock:
            return await self._in_thread(
                lambda: archive_blocks(
                    self._files(),
                    self.active_dir,
                    self.archive_dir,
                    self.keys,
                    older_than,
                )
            )

    async def rotate_key(self) -> AuditKey:
        async with self._lock:
            return await self._in_thread(self.keys.rotate)

    def __repr__(self) -> str:
        return (
            f"BlockStore(root={str(self.root)!r}, next_block={self.next_block_seq}, "
            f"last_sequence={self.last_sequence})"
        )

    # -- blocking parts, run in a worker thread ------------------------------------

    def _open_head(
        self, files: list[BlockFile], copies: list[StoredCopy]
    ) -> tuple[Head, str]:
        """The head to continue from, and what was wrong with the checkpoint."""
        newest = newest_authentic_header(files, self.keys)
        assessment = assess_head(copies, self.keys, newest, crash_window=1)
        head = assessment.head
        anomalies = [finding.detail for finding in assessment.findings]
        newest_seq = 0 if newest is None else newest.seq
        if newest_seq < head.block_seq:
            anomalies.append(
                f"blocks {newest_seq + 1}..{head.block_seq} are missing or not "
                "authentic"
            )
        if anomalies:
            logger.error(
                "audit trail opened with its checkpoint in question (recorded in the "
                "next block): %s",
                "; ".join(anomalies),
            )
        elif assessment.copies_behind:  # a write was interrupted: complete it
            self._write_checkpoint(head, self.keys.active_key)
        return head, "; ".join(anomalies)

    def _write(self, entries: list[AuditEntry]) -> int:
        seq = self._free_block_seq()
        key = self.keys.active_key
        data = encode_block(
            seq, entries, key, created_at=time.time(), anomaly=self._anomaly
        )
        atomic_write(self.active_dir / block_file_name(seq), data)
        self.head = Head(seq, entries[-1].sequence, entries[-1].chain_hash)
        self._anomaly = ""
        self._write_checkpoint(self.head, key)
        return seq

    def _free_block_seq(self) -> int:
        """The block number after the head, past any file already named so (never
        overwritten: it is evidence, and verification reports it)."""
        seq = self.next_block_seq
        while any(
            os.path.lexists(directory / block_file_name(seq))
            for directory in (self.active_dir, self.archive_dir)
        ):
            logger.warning(
                "audit block file %s exists but is not the trail's: skipped",
                block_file_name(seq),
            )
            seq += 1
        if seq > MAX_BLOCK_SEQ:
            raise BlockError("the audit trail has used every block number")
        return seq

    def _write_checkpoint(self, head: Head, key: AuditKey) -> None:
        """*head*, in checkpoint.json then in the anchor. The block is durable; if a
        copy cannot be written, the next block's checkpoint supersedes it."""
        checkpoint = Checkpoint.signed(
            head.block_seq, head.last_sequence, head.last_chain_hash, key
        )
        for path in (self.checkpoint_file, self.anchor_file):
            try:
                atomic_write(path, checkpoint.to_bytes())
            except OSError as exc:  # the anchor never gets ahead of checkpoint.json
                logger.error(
                    "audit checkpoint %s not updated after block %d: %s",
                    path,
                    head.block_seq,
                    exc,
                )
                return

    def _files(self) -> list[BlockFile]:
        found = []
        for archived, directory in ((False, self.active_dir), (True, self.archive_dir)):
            for name in os.listdir(directory):
                seq = parse_block_name(name)
                if seq is not None:
                    found.append(BlockFile(seq, archived, directory / name))
        return sorted(found, key=lambda file: (file.seq, file.archived))

    def _read_copies(self) -> list[StoredCopy]:
        return [
            read_copy(CHECKPOINT_LABEL, CHECKPOINT_FILE, self.checkpoint_file),
            read_copy(ANCHOR_LABEL, str(self.anchor_file), self.anchor_file),
        ]

    def _read_block(self, file: BlockFile) -> StoredBlock:
        """A block file; only its header line unless that authenticates (a planted
        file of any size is not read whole)."""
        name = str(file.path.relative_to(self.root))
        try:
            data = read_regular_file(file.path, MAX_RECORD_BYTES + 1)
            try:
                authenticated_header(data, self.keys)
            except BlockError:
                pass  # decoding it fails the same way, and says why
            else:
                data = read_regular_file(file.path)
        except OSError as exc:
            return StoredBlock(name, file.seq, file.archived, b"", f"unreadable: {exc}")
        return StoredBlock(name, file.seq, file.archived, data)

    def _read_all(self) -> tuple[list[StoredBlock], list[StoredCopy]]:
        blocks = [self._read_block(file) for file in self._files()]
        return blocks, self._read_copies()

    def _verify(self) -> IntegrityReport:
        try:
            blocks, copies = self._read_all()
        except OSError as exc:
            problem = IntegrityProblem(
                "missing", "block", ACTIVE_DIR, None, None, f"unreadable: {exc}"
            )
            return IntegrityReport(0, 0, (problem,))
        return check_integrity(blocks, copies, self.keys, self.head)

    def _load_entries(self) -> list[AuditEntry]:
        entries: dict[int, AuditEntry] = {}
        for block in self._read_all()[0]:
            try:
                if block.error:
                    raise BlockError(block.error)
                _, decoded = decode_block(block.data, self.keys)
            except BlockError as exc:
                logger.warning("audit block %s skipped: %s", block.name, exc)
                continue
            for entry in decoded:
                entries.setdefault(entry.sequence, entry)
        return [entries[sequence] for sequence in sorted(entries)]

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
