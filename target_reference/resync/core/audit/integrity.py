"""Integrity verification: finds modified, missing, reordered and inserted blocks and
entries, and a checkpoint that is missing, forged or rolled back; says where each is.

It reports and never raises: every input is read from files anyone with access to the
storage directory may have planted.
"""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from resync.core.audit.blocks import (
    ACTIVE_DIR,
    BlockError,
    BlockHeader,
    block_file_name,
    decode_block,
)
from resync.core.audit.entry import GENESIS_HASH, AuditEntry
from resync.core.audit.head import EMPTY_HEAD, Head, StoredCopy, assess_head
from resync.core.audit.keys import KeyManager, UnknownKeyError


@dataclass(frozen=True, slots=True)
class StoredBlock:
    """A block file as read from disk; *name* is relative to the storage directory.
    *error* says why it could not be read (then *data* is empty)."""

    name: str
    file_seq: int
    archived: bool
    data: bytes
    error: str = ""


@dataclass(frozen=True, slots=True)
class IntegrityProblem:
    kind: str  # "modified", "missing", "reordered" or "inserted"
    scope: str  # "block", "entry" or "checkpoint"
    location: str  # file, relative to the storage directory (the anchor: absolute)
    block: int | None
    entry: int | None  # entry sequence number
    detail: str


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    blocks_checked: int
    entries_checked: int
    problems: tuple[IntegrityProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "blocks_checked": self.blocks_checked,
            "entries_checked": self.entries_checked,
            "problems": [asdict(problem) for problem in self.problems],
        }


@dataclass(frozen=True, slots=True)
class _Decoded:
    stored: StoredBlock
    header: BlockHeader
    entries: list[AuditEntry]


def check_integrity(
    blocks: Sequence[StoredBlock],
    copies: Sequence[StoredCopy],
    keys: KeyManager,
    floor: Head = EMPTY_HEAD,
) -> IntegrityReport:
    """Check *blocks* against each other and against the head that the checkpoint's
    *copies* and *floor* (the head the running store wrote last) record."""
    problems: list[IntegrityProblem] = []
    decoded: dict[int, list[_Decoded]] = {}
    damaged: set[int] = set()
    for stored in sorted(blocks, key=lambda block: (block.file_seq, block.archived)):
        try:
            if stored.error:
                raise BlockError(stored.error)
            header, entries = decode_block(stored.data, keys)
        except BlockError as exc:
            problems.append(
                IntegrityProblem(
                    "modified", "block", stored.name, stored.file_seq, None, str(exc)
                )
            )
            damaged.add(stored.file_seq)
            continue
        decoded.setdefault(header.seq, []).append(_Decoded(stored, header, entries))
    chosen = _choose_copies(decoded, problems)
    newest = max((block.header for block in chosen), key=_seq, default=None)
    assessment = assess_head(copies, keys, newest, floor)
    head = assessment.head
    for first, last in missing_runs({*decoded, *damaged}, head.block_seq):
        problems.append(
            IntegrityProblem(
                "missing",
                "block",
                _block_name(first),
                first,
                None,
                f"blocks {first}..{last} are missing",
            )
        )
    problems += [
        IntegrityProblem(
            "modified",
            "checkpoint",
            block.stored.name,
            block.header.seq,
            None,
            f"block {block.header.seq} was written after the trail was opened with: "
            f"{block.header.anomaly}",
        )
        for block in chosen
        if block.header.anomaly
    ]
    problems += [
        IntegrityProblem(
            finding.kind, "checkpoint", finding.location, None, None, finding.detail
        )
        for finding in assessment.findings
    ]
    chain = _EntryChain(keys, problems)
    for block in chosen:
        chain.check(block)
    chain.report_gaps(head.last_sequence)
    return IntegrityReport(len(chosen), chain.checked, tuple(problems))


def _seq(header: BlockHeader) -> int:
    return header.seq


def _choose_copies(
    decoded: dict[int, list[_Decoded]], problems: list[IntegrityProblem]
) -> list[_Decoded]:
    """One copy per block number; misplaced and extra copies are problems."""
    chosen = []
    for seq, copies in sorted(decoded.items()):
        home = [copy for copy in copies if copy.stored.file_seq == seq]
        original = home[0] if home else copies[0]
        if not home:
            problems.append(
                IntegrityProblem(
                    "reordered",
                    "block",
                    original.stored.name,
                    seq,
                    None,
                    f"{original.stored.name} holds block {seq}",
                )
            )
        for copy in copies:
            leftover = copy.stored.file_seq == seq and copy.entries == original.entries
            if copy is original or leftover:
                continue  # the active twin of an archived block: an archival cut short
            problems.append(
                IntegrityProblem(
                    "inserted",
                    "block",
                    copy.stored.name,
                    seq,
                    None,
                    f"{copy.stored.name} is a second copy of block {seq}",
                )
            )
        chosen.append(original)
    return chosen


class _EntryChain:
    """Walks every entry in block order, noting where the chain breaks."""

    def __init__(self, keys: KeyManager, problems: list[IntegrityProblem]) -> None:
        self.keys = keys
        self.problems = problems
        self.checked = 0
        self.seen: set[int] = set()
        self.highest = 0
        self.previous_sequence = 0
        self.previous_hash = GENESIS_HASH
        self.found_in: dict[int, str] = {}

    def check(self, block: _Decoded) -> None:
        for entry in block.entries:
            self.checked += 1
            self._check(entry, block)

    def _check(self, entry: AuditEntry, block: _Decoded) -> None:
        seq = entry.sequence
        intact = _is_intact(entry, self.keys)
        if not intact:
            self._report("modified", block, seq, "does not match its hash or signature")
        if seq in self.seen:
            self._report("inserted", block, seq, "appears a second time")
            return
        self.seen.add(seq)
        self.found_in[seq] = block.stored.name
        if seq < self.highest:
            self._report("reordered", block, seq, f"comes after entry {self.highest}")
        elif (
            intact
            and seq == self.previous_sequence + 1
            and entry.previous_hash != self.previous_hash
        ):
            self._report("modified", block, seq, f"does not link to entry {seq - 1}")
        self.highest = max(self.highest, seq)
        self.previous_sequence, self.previous_hash = seq, entry.chain_hash

    def report_gaps(self, noted_last: int) -> None:
        """Entries never seen, up to the highest one seen or noted in the head."""
        for first, last in missing_runs(self.seen, max(self.highest, noted_last)):
            location = self.found_in.get(last + 1, "end of the trail")
            self.problems.append(
                IntegrityProblem(
                    "missing",
                    "entry",
                    location,
                    None,
                    first,
                    f"entries {first}..{last} are missing",
                )
            )

    def _report(self, kind: str, block: _Decoded, seq: int, detail: str) -> None:
        self.problems.append(
            IntegrityProblem(
                kind,
                "entry",
                block.stored.name,
                block.header.seq,
                seq,
                f"entry {seq} {detail}",
            )
        )


def _is_intact(entry: AuditEntry, keys: KeyManager) -> bool:
    try:
        return entry.is_intact(keys.get(entry.key_id))
    except UnknownKeyError:
        return False


def missing_runs(present: Iterable[int], last: int) -> list[tuple[int, int]]:
    """The runs of 1..*last* not in *present*, as inclusive pairs, in order:
    ({2, 3, 7}, 8) -> [(1, 1), (4, 6), (8, 8)]. Memory grows with *present*, never
    with *last*."""
    runs: list[tuple[int, int]] = []
    expected = 1
    for number in sorted({number for number in present if 1 <= number <= last}):
        if number > expected:
            runs.append((expected, number - 1))
        expected = number + 1
    if expected <= last:
        runs.append((expected, last))
    return runs


def _block_name(seq: int) -> str:
    return f"{ACTIVE_DIR}/{block_file_name(seq)}"
