"""The head of the trail (its last block, and that block's last entry) and how it is
anchored, so that truncating the trail or rolling its checkpoint back is a finding.

After every block the store writes the checkpoint twice: ``checkpoint.json`` in the
storage directory, then the *anchor*, a copy next to the key file (``NAME.head.json``
beside ``NAME.json``), outside the storage directory. The head is monotonic: it is the
newest of the authentic copies, the newest authenticated block and, while the store
runs, the head it wrote last; it never goes back. Hence:

- blocks deleted at the end stay missing for good, since the next block continues after
  the head;
- a checkpoint restored from earlier, deleted or forged disagrees with the anchor, the
  blocks or the running store: a finding when the trail is verified, and, found when
  the store is opened, an *anomaly* the next block's header carries, so the evidence
  outlives the checkpoint being written anew.

Out of reach: the storage directory and the key directory rolled back together to an
earlier state that is consistent (keep the key directory out of the storage's reach).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from resync.core.audit.blocks import BlockHeader
from resync.core.audit.checkpoint import Checkpoint
from resync.core.audit.entry import GENESIS_HASH
from resync.core.audit.files import read_regular_file
from resync.core.audit.keys import KeyManager
from resync.core.audit.records import MAX_RECORD_BYTES

CHECKPOINT_FILE = "checkpoint.json"
CHECKPOINT_LABEL = "checkpoint.json"
ANCHOR_LABEL = "the checkpoint's anchor"


def anchor_file_for(key_file: Path) -> Path:
    """Where the anchor of the trail whose keys are in *key_file* is kept."""
    return key_file.with_name(f"{key_file.stem}.head.json")


@dataclass(frozen=True, slots=True)
class Head:
    block_seq: int
    last_sequence: int
    last_chain_hash: str

    @classmethod
    def of(cls, record: Checkpoint | BlockHeader) -> "Head":
        seq = record.block_seq if isinstance(record, Checkpoint) else record.seq
        return cls(seq, record.last_sequence, record.last_chain_hash)


EMPTY_HEAD = Head(0, 0, GENESIS_HASH)


@dataclass(frozen=True, slots=True)
class StoredCopy:
    """A copy of the checkpoint as found: its bytes (None if missing), or why it could
    not be read. *location* is relative to the storage directory, or absolute."""

    label: str
    location: str
    raw: bytes | None
    error: str = ""


def read_copy(label: str, location: str, path: Path) -> StoredCopy:
    try:
        return StoredCopy(
            label, location, read_regular_file(path, MAX_RECORD_BYTES + 1)
        )
    except FileNotFoundError:
        return StoredCopy(label, location, None)
    except OSError as exc:
        return StoredCopy(label, location, None, f"unreadable ({exc})")


@dataclass(frozen=True, slots=True)
class HeadFinding:
    kind: str  # "missing" or "modified"
    location: str
    detail: str


@dataclass(frozen=True, slots=True)
class HeadAssessment:
    head: Head
    findings: tuple[HeadFinding, ...]
    #: Some copy lags the head, within what an interrupted write leaves behind.
    copies_behind: bool


def assess_head(
    copies: Sequence[StoredCopy],
    keys: KeyManager,
    newest_block: BlockHeader | None,
    floor: Head = EMPTY_HEAD,
    *,
    crash_window: int = 0,
) -> HeadAssessment:
    """The head, and what is wrong with the copies of the checkpoint.

    *copies* come in the order they are written (checkpoint.json, then the anchor).
    Each must record the head; while opening, ``crash_window=1`` lets each lag one
    block behind what was written before it, as a crash between the writes leaves it.
    """
    findings: list[HeadFinding] = []
    authentic: list[tuple[StoredCopy, Checkpoint | None]] = []
    for copy in copies:
        checkpoint, problem = _authenticate(copy, keys)
        if problem is not None:
            findings.append(problem)
        authentic.append((copy, checkpoint))
    heads = [floor, *(Head.of(c) for _, c in authentic if c is not None)]
    if newest_block is not None:
        heads.append(Head.of(newest_block))
    head = max(heads, key=lambda candidate: candidate.block_seq)
    behind = False
    written_later = 0  # the block number the copy written after this one records
    for copy, checkpoint in reversed(authentic):
        if (checkpoint is None and copy.raw is not None) or copy.error:
            continue  # already a finding
        recorded = EMPTY_HEAD if checkpoint is None else Head.of(checkpoint)
        lag = head.block_seq - recorded.block_seq
        behind = behind or lag > 0
        problem = _lag_problem(copy, recorded, head, lag, written_later, crash_window)
        if problem is not None:
            findings.append(problem)
        written_later = recorded.block_seq
    findings.reverse()  # checkpoint.json first, as written
    return HeadAssessment(head, tuple(findings), behind)


def _authenticate(
    copy: StoredCopy, keys: KeyManager
) -> tuple[Checkpoint | None, HeadFinding | None]:
    if copy.error:
        return None, HeadFinding(
            "modified", copy.location, f"{copy.label} {copy.error}"
        )
    if copy.raw is None:
        return None, None
    try:
        checkpoint = Checkpoint.parse(copy.raw)
    except ValueError as exc:
        return None, HeadFinding("modified", copy.location, f"{copy.label}: {exc}")
    if checkpoint.key_id not in keys.key_ids:
        detail = f"names key {checkpoint.key_id!r}, which the key file does not hold"
    elif not checkpoint.is_authentic(keys):
        detail = "the signature does not match"
    else:
        return checkpoint, None
    return None, HeadFinding("modified", copy.location, f"{copy.label}: {detail}")


def _lag_problem(
    copy: StoredCopy,
    recorded: Head,
    head: Head,
    lag: int,
    written_later: int,
    crash_window: int,
) -> HeadFinding | None:
    missing = copy.raw is None
    if lag > crash_window:
        what = "is missing" if missing else f"records block {recorded.block_seq}"
        return HeadFinding(
            "missing" if missing else "modified",
            copy.location,
            f"{copy.label} {what}, but the trail's head is block {head.block_seq}",
        )
    if recorded.block_seq < written_later:  # written first, yet older
        what = "is missing" if missing else f"records block {recorded.block_seq}"
        return HeadFinding(
            "missing" if missing else "modified",
            copy.location,
            f"{copy.label} {what}, but a copy written after it records block "
            f"{written_later}",
        )
    if lag == 0 and recorded != head:
        return HeadFinding(
            "modified",
            copy.location,
            f"{copy.label} disagrees with the trail's head at block {head.block_seq}",
        )
    return None
