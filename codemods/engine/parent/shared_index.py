"""``codemods index --out FILE`` and ``--index FILE``: the facts of every file, shared.

One CI job scans the whole tree for the project index's facts (no codemod runs) and
writes them, file by file with the content hash they were read from, to one file; each
``--shard K/N`` job takes the other shards' facts from it instead of parsing those
files. A foreign file is still read, to check its hash and apply the round's trigger
words to its bytes (cheap; parsing is what costs): one whose content changed since,
that the file does not know, or that a round needs but the index job never parsed, is
scanned as without the file. The shard's own rounds decide what they need, so its
results are those of a shard run without ``--index``.

The file is a version line and a pickle that only loads the facts' own classes. One
written by another tool version or with other settings (``registry.digest``) is
refused, as is a missing or corrupt one: a usage error naming the file.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemods import __version__
from codemods.analysis import facts
from codemods.core import results
from codemods.core.settings import ConfigError, Settings
from codemods.engine.cache import Stamp, content_hash
from codemods.engine.discovery import module_name
from codemods.engine.job import Job
from codemods.engine.tasks import Scan, Scanned, scan_filter
from codemods.engine.work import Item
from codemods.engine.writer import write_new
from codemods.rules import registry

# 2: the records' classes moved (``codemods.core.results``).
FORMAT = 2
MAGIC = b"codemods-index %d\n" % FORMAT


class SharedIndexError(ConfigError):
    """The index file cannot be used (a usage error: exit 2)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One file as the index job read it: its content hash, whether the first scan
    took it (it spells a static trigger word where it matters), and, when the index job
    parsed it, its facts (None with ``error`` when it did not parse)."""

    hash: str
    candidate: bool = False
    parsed: bool = False
    facts: facts.ModuleFacts | None = None
    error: results.FileError | None = None


@dataclass(frozen=True)
class SharedIndex:
    """What ``codemods index`` writes: entries by shown path, and what made them."""

    version: str
    digest: str
    # The codemods selected (to say what differs when the digest does).
    codes: tuple[str, ...] = ()
    entries: Mapping[str, Entry] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        settings: Settings,
        scanned: Mapping[str, Scanned],
        stamps: Mapping[str, Stamp],
        clean: Set[str],
    ) -> SharedIndex:
        """From a facts-only run: its parsed files' outcomes, every file's stamp when
        first read (a file parsed in a later round has the stamp of that read), and
        the files its first scan did not take."""
        entries = {
            shown: Entry(stamp[2], candidate=shown not in clean)
            for shown, stamp in stamps.items()
        }
        for shown, outcome in scanned.items():
            if outcome.stamp is not None:
                hash_, error = outcome.stamp[2], outcome.result.error
                candidate = shown not in clean
                entries[shown] = Entry(hash_, candidate, True, outcome.facts, error)
        entries = dict(sorted(entries.items()))
        return cls(
            __version__, registry.digest(settings), registry.codes(settings), entries
        )

    @property
    def parsed(self) -> int:
        return sum(entry.parsed for entry in self.entries.values())

    def write(self, path: Path) -> None:
        """Write it to ``path`` as a whole (a reader sees the old file or the new)."""
        body = (self.version, self.digest, self.codes, dict(self.entries))
        data = MAGIC + pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            write_new(path, data)
        except OSError as exc:
            raise SharedIndexError(f"{path}: cannot write: {exc.strerror}") from None

    @classmethod
    def read(cls, path: Path, settings: Settings) -> SharedIndex:
        """The index in ``path``, made by this tool version with these settings."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SharedIndexError(f"--index {path}: {exc.strerror}") from None
        if not data.startswith(MAGIC):
            raise SharedIndexError(
                f"--index {path}: not a version {FORMAT} `codemods index` file"
            )
        try:
            shared = cls(*_Loader(io.BytesIO(data[len(MAGIC) :])).load())
            if not all(isinstance(e, Entry) for e in shared.entries.values()):
                raise ValueError("not entries")
        except Exception:  # any damage (truncated, edited, foreign) reads so
            raise SharedIndexError(f"--index {path}: corrupt index file") from None
        if shared.version != __version__:
            raise SharedIndexError(
                f"--index {path}: written by codemods {shared.version}, "
                f"this is {__version__}; run `codemods index` again"
            )
        if shared.digest != registry.digest(settings):
            raise SharedIndexError(f"--index {path}: {_differs(shared, settings)}")
        return shared


class Foreign:
    """Scan outcomes of the other shards' files, taken from a shared index."""

    def __init__(self, shared: SharedIndex, job: Job) -> None:
        self.shared, self.job = shared, job
        # Foreign files scanned as without the file (their content is not its).
        self.stale: set[str] = set()
        self._filters: dict[Scan, Callable[[bytes], bool] | None] = {}
        # Whether a file's bytes were the index's when first read: every round asks
        # again about every waiting file, and hashing them all each time is wasted.
        self._same: dict[str, bool] = {}

    def split(self, items: Sequence[Item]) -> tuple[list[Scanned], list[Item]]:
        """The outcomes the index answers, and the items still to scan."""
        served: list[Scanned] = []
        rest: list[Item] = []
        for item in items:
            path, shown, task = item
            outcome = self._serve(path, shown, task) if task.facts_only else None
            if outcome is not None:
                served.append(outcome)
                continue
            rest.append(item)
            if task.facts_only:
                self.stale.add(shown)
        return served, rest

    def _serve(self, path: Path, shown: str, task: Scan) -> Scanned | None:
        entry = self.shared.entries.get(shown)
        if entry is None:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None  # the scan reports it
        same = self._same.get(shown)
        if same is None:
            same = self._same[shown] = content_hash(raw) == entry.hash
        if not same:
            return None
        if not self._wants(task, raw, entry):
            return Scanned(results.FileResult(shown))
        if not entry.parsed:
            return None
        if entry.facts is not None and entry.facts.name != module_name(path):
            return None  # an __init__.py came or went: the module has another name
        outcome = results.FileResult(shown, error=entry.error)
        return Scanned(outcome, entry.facts, parsed=True, shared=True)

    def _wants(self, task: Scan, raw: bytes, entry: Entry) -> bool:
        """Whether ``task`` would parse the file: for the first scan, what the index
        job's first scan decided (its bytes and settings are the same); for a later
        round, whether they spell the round's words."""
        if task.words is None and not task.force:
            return entry.candidate
        if task not in self._filters:
            self._filters[task] = scan_filter(self.job, task)
        wanted = self._filters[task]
        return wanted is None or wanted(raw)


def _differs(shared: SharedIndex, settings: Settings) -> str:
    codes = registry.codes(settings)
    if shared.codes != codes:
        return (
            f"written for {', '.join(shared.codes) or 'no codemod'}, but this run "
            f"selects {', '.join(codes) or 'none'}; run `codemods index` "
            "with the same --select/--ignore"
        )
    return (
        "written with other codemod options (trackers, lifecycle-methods, "
        "taskgroup-param, line-length or [tool.codemods.CODE]); run `codemods index` "
        "with this configuration"
    )


# What an index file may hold besides builtins: the facts and the entries.
_CLASSES = {
    facts.__name__: {
        "Ref",
        "FunctionFacts",
        "ClassFacts",
        "ModuleFacts",
        "MethodUse",
        "ValueUse",
        "CallSite",
    },
    results.__name__: {"FileError"},
    __name__: {"Entry"},
}


class _Loader(pickle.Unpickler):
    """Unpickles the facts' classes only: a file from elsewhere runs no code."""

    def find_class(self, module: str, name: str) -> Any:
        if name in _CLASSES.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not index data")
