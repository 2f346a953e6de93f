"""Integrity verification: finds modified, missing, reordered and inserted blocks and
entries, and says where each one is."""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from resync.core.audit.blocks import (
    ACTIVE_DIR,
    BlockError,
    BlockHeader,
    block_file_name,
    decode_block,
)
from resync.core.audit.checkpoint import Checkpoint
from resync.core.audit.entry import GENESIS_HASH, AuditEntry
from resync.core.audit.keys import KeyManager, UnknownKeyError


@dataclass(frozen=True, slots=True)
class StoredBlock:
    """A block file as read from disk; *name* is relative to the storage directory."""

    name: str
    file_seq: int
    archived: bool
    data: bytes


@dataclass(frozen=True, slots=True)
class IntegrityProblem:
    kind: str  # "modified", "missing", "reordered" or "inserted"
    scope: str  # "block", "entry" or "checkpoint"
    location: str  # file, relative to the storage directory
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
    blocks: Sequence[StoredBlock], checkpoint: bytes | None, keys: KeyManager
) -> IntegrityReport:
    problems: list[IntegrityProblem] = []
    decoded: dict[int, list[_Decoded]] = {}
    damaged: set[int] = set()
    for stored in sorted(blocks, key=lambda block: (block.file_seq, block.archived)):
        try:
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
    noted = _check_checkpoint(checkpoint, keys, bool(blocks), problems)
    last_block = max([*decoded, *damaged, noted.block_seq if noted else 0], default=0)
    for first, last in _ranges(set(range(1, last_block + 1)) - set(decoded) - damaged):
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
    chain = _EntryChain(keys, problems)
    for block in chosen:
        chain.check(block)
    chain.report_gaps(noted.last_sequence if noted else 0)
    return IntegrityReport(len(chosen), chain.checked, tuple(problems))


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


def _check_checkpoint(
    raw: bytes | None,
    keys: KeyManager,
    has_blocks: bool,
    problems: list[IntegrityProblem],
) -> Checkpoint | None:
    if raw is None:
        if has_blocks:
            problems.append(
                IntegrityProblem(
                    "missing",
                    "checkpoint",
                    "checkpoint.json",
                    None,
                    None,
                    "no checkpoint",
                )
            )
        return None
    try:
        checkpoint = Checkpoint.parse(raw)
    except ValueError as exc:
        checkpoint = None
        detail = str(exc)
    else:
        detail = "the checkpoint signature does not match"
    if checkpoint is None or not checkpoint.is_authentic(keys):
        problems.append(
            IntegrityProblem(
                "modified", "checkpoint", "checkpoint.json", None, None, detail
            )
        )
        return None
    return checkpoint


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
        """Entries never seen, up to the highest one seen or noted in the checkpoint."""
        expected = set(range(1, max(self.highest, noted_last) + 1))
        for first, last in _ranges(expected - self.seen):
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


def _ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted numbers grouped into inclusive runs: {1, 2, 3, 7} -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _block_name(seq: int) -> str:
    return f"{ACTIVE_DIR}/{block_file_name(seq)}"
