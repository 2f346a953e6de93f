"""The results cache (``.codemods_cache/``, ``--cache-dir``, ``--no-cache``).

One JSON file per *generation*: the tool (its version, its own source files, LibCST's
version, Python's) and every setting that can change a result. Changing any of them
starts a new generation, so nothing cached under other settings is ever served. Inside,
one entry per file, keyed by its absolute path: size, mtime and content hash when it
was read, its module name, whether it holds none of the static trigger words
("statically clean"), and its final result (findings, changed or not; the diff when the
run made one).

An entry is used only when the file is still the one it was made from and the module
name (which depends on ``__init__.py`` files around it) is the same. "The same file":

- **Trusting a file's status**, as Git's index does: an entry whose file has the very
  size, mtime, ctime and inode it had when it was read is the same file, unread. The
  ctime is what makes this hold: ``cp -p``, ``touch -r`` and a re-checkout keep size
  and mtime while the content changes, but any write, and any setting of the mtime,
  sets the ctime to the clock's present, which nobody can set back.
- **The racy case**: a write in the same clock tick as the entry's ctime (1 ns to 2 s,
  by file system) leaves the same ctime. So the status is trusted only for an entry
  that was *settled* when read, its ctime older than the read by ``RACY_NS`` (more
  than any file system's tick), and whose ctime and mtime are older than the cache
  file's own write (Git's rule, on the file system's clock); any other entry's file is
  read and hashed (SHA-256) each run, and its entry made again once it has settled.
- Otherwise the content must hash the same: a file whose size differs is a miss
  without being read; one with another status and the same hash is served (touched),
  and its entry updated.

Every entry is checked against the schema the tool writes (types, fields, values)
before anything is taken from it: a malformed one is a miss, and a document that cannot
be parsed (deep nesting, bad UTF-8) is an empty cache.

What a cache cannot prove is that its results are this tool's: anyone who can write
the cache directory can write entries that hash right and say "clean". A committed
cache is therefore a speed-up for people, never a CI gate's evidence (the README says
so: gates run with ``--no-cache`` or a cache they own).

Results that can depend on other files (a selected codemod consults the project index,
TG002's call sites) are served only when *every* file of the run is valid and the run
covers exactly the files of the run that made the entries; otherwise only the
"statically clean" verdicts are reused, which depend on the file's bytes alone, and
every candidate is parsed again, as in a cold run. A cache that cannot be read is
ignored and one that cannot be written is skipped: the cache never makes a run fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat as stat_mode
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from codemods import __version__
from codemods.core.results import FileResult
from codemods.engine.cache_entries import (
    CLEAN,
    Raw,
    Stamp,
    entry_of,
    result_of,
    valid_entry,
)
from codemods.engine.regular import read_regular

__all__ = ["CLEAN", "Cache", "Stamp", "content_hash", "stamp_of", "tool_fingerprint"]

FORMAT = 5
# A file whose status changed less than this before it was read may be written again
# in the same tick of its file system's clock (2 s on FAT, 1 s on ext3 and HFS+, one
# timer tick elsewhere) and keep the same status: its entry is not trusted unread.
RACY_NS = 3_000_000_000
# Generations kept side by side (other settings, other checkouts of the tool).
KEEP_GENERATIONS = 8
IGNORE_ALL = "# Automatically created.\n*\n"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by taskgroup-codemods.\n"
)


def content_hash(raw: bytes) -> str:
    # SHA-256: collision-resistant, and with the CPU's SHA extensions faster than SHA-1.
    return hashlib.sha256(raw).hexdigest()


def stamp_of(raw: bytes, stat: os.stat_result) -> Stamp:
    """The stamp of ``raw``, read from a file whose status (taken before the read) is
    ``stat``. Settled: its ctime is older than the present by ``RACY_NS`` (a file
    system that keeps no ctime, 0, never is)."""
    ctime = stat.st_ctime_ns
    settled = 0 < ctime < time.time_ns() - RACY_NS
    return (
        stat.st_size,
        stat.st_mtime_ns,
        content_hash(raw),
        ctime,
        stat.st_ino,
        settled,
    )


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """What invalidates every entry: this tool's version and source files, LibCST's
    version, Python's. (The source files count so that a development checkout, whose
    version number does not move, never serves results of older code.)"""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    sources = sorted(_sources(package, ""))
    blob = json.dumps([__version__, _libcst_files(), sys.version, sources])
    return hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()[:16]


def _sources(directory: str, relative: str) -> Iterator[tuple[str, int, int]]:
    """(path relative to the package, size, mtime) of each Python file below
    ``directory``, but the bundled sample application and the golden cases (data, not
    code). ``os.scandir``: ``Path.rglob`` took a fifth of a warm run."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = relative + entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in ("_bundled", "cases", "__pycache__"):
                    yield from _sources(entry.path, name + "/")
            elif entry.name.endswith(".py"):
                stat = entry.stat()
                yield name, stat.st_size, stat.st_mtime_ns
        except OSError:
            continue


def _libcst_files() -> list[tuple[str, int, int]]:
    """LibCST's version, as the size and time of its version module (installing any
    other release replaces it): ``importlib.metadata`` alone costs a warm run ~10 ms,
    and importing LibCST far more."""
    import importlib.util  # ~1 ms a warm run pays only here

    spec = importlib.util.find_spec("libcst")
    if spec is None or spec.origin is None:
        return []
    version_file = Path(spec.origin).with_name("_version.py")
    try:
        stat = version_file.stat()
    except OSError:
        return []
    return [(str(version_file), stat.st_size, stat.st_mtime_ns)]


@dataclass
class Lookup:
    """What the cache can answer for one run, by shown path."""

    # Final results.
    results: dict[str, FileResult] = field(default_factory=dict)
    # Files known not to spell a static trigger (when their result is not served: in a
    # run that uses the project index, a later round may still parse them).
    statically_clean: set[str] = field(default_factory=set)
    # Valid entries' stamps (to record again without reading the file).
    stamps: dict[str, Stamp] = field(default_factory=dict)
    # Valid entries whose file was touched (same content, another mtime).
    restamped: set[str] = field(default_factory=set)


class Cache:
    """One generation's entries, loaded at the start of a run and saved at its end."""

    def __init__(self, directory: Path, generation: str) -> None:
        self.directory = directory
        self.generation = generation
        self.entries: dict[str, Raw] = {}
        # The digest of the set of files of the run that wrote the entries.
        self.complete = ""
        # Entries differ from the file's (nothing loaded counts as a difference).
        self.dirty = True
        # When the file was written, by its file system's clock (0: never).
        self.written_ns = 0
        self._load()

    @classmethod
    def for_run(cls, directory: Path, settings_digest: str, **flags: Any) -> Cache:
        key = json.dumps(
            [FORMAT, tool_fingerprint(), settings_digest, flags], sort_keys=True
        )
        generation = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]
        return cls(directory, generation)

    @property
    def file(self) -> Path:
        return self.directory / f"{self.generation}.json"

    # -- reading ---------------------------------------------------------------------

    def _load(self) -> None:
        try:
            read = read_regular(self.file)
            assert read is not None, "read whatever its size"
            document = json.loads(read[0])
            entries, complete = document["entries"], document["complete"]
            if document["format"] != FORMAT:
                raise ValueError("another format")
            if not isinstance(entries, dict) or not isinstance(complete, str):
                raise TypeError("bad document")
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return  # missing or corrupt (or nested too deep to parse): start empty
        # An entry is checked in full when looked up; one of the wrong shape is dropped.
        self.entries = {
            key: raw
            for key, raw in entries.items()
            if isinstance(raw, list) and len(raw) == 4
        }
        self.complete = complete
        self.written_ns = read[1].st_mtime_ns
        self.dirty = len(self.entries) != len(entries)

    def lookup(
        self,
        files: Sequence[tuple[str, str, str]],
        *,
        uses_index: bool,
        want_diff: bool,
        write: bool,
    ) -> Lookup:
        """What can be reused for ``files``: (path, module name, shown path) each.

        An entry of the wrong shape is dropped (a miss); one whose file's content no
        longer hashes the same is left for the run to record again."""
        found = Lookup()
        servable: dict[str, FileResult] = {}
        entries = self.entries
        for path, module, shown in files:
            entry = entries.get(path)
            if entry is None:
                continue
            if not valid_entry(entry):
                self._drop(path)
                continue
            listed, entry_module, statically_clean, values = entry
            if entry_module != module:
                continue
            recorded: Stamp = tuple(listed)  # of the shape valid_entry checked
            stamp = self._current(path, recorded)
            if stamp is None:
                continue
            found.stamps[shown] = stamp
            if stamp is not recorded and stamp != recorded:
                found.restamped.add(shown)
            if statically_clean:
                found.statically_clean.add(shown)
            if values == CLEAN:
                servable[shown] = FileResult(shown)
            elif isinstance(values, dict) and _servable(values, want_diff, write):
                servable[shown] = result_of(values, shown)
        if not uses_index:
            found.results = servable
        elif len(servable) == len(files) and self.complete == files_digest(
            path for path, _, _ in files
        ):
            found.results = servable
        return found

    def _current(self, path: str, recorded: Stamp) -> Stamp | None:
        """The stamp of the file at ``path`` if it is still the one ``recorded``
        describes (see the module's docstring), else None."""
        size, mtime, digest, ctime, inode, settled = recorded
        if settled and mtime < self.written_ns and ctime < self.written_ns:
            try:
                now = os.lstat(path)
            except OSError:
                return None
            if (
                now.st_ctime_ns == ctime
                and now.st_mtime_ns == mtime
                and now.st_size == size
                and now.st_ino == inode
                and stat_mode.S_ISREG(now.st_mode)
            ):
                return recorded
        return _still_valid(path, size, digest)

    def _drop(self, key: str) -> None:
        self.entries.pop(key, None)
        self.dirty = True

    # -- writing ---------------------------------------------------------------------

    def record(
        self,
        path: str | Path,
        stamp: Stamp,
        module: str,
        *,
        statically_clean: bool,
        result: FileResult | None,
    ) -> None:
        raw = entry_of(stamp, module, statically_clean, result)
        key = str(path)
        if self.entries.get(key) != raw:
            self.entries[key] = raw
            self.dirty = True

    def forget(self, path: str | Path) -> None:
        if self.entries.pop(str(path), None) is not None:
            self.dirty = True

    def save(self, complete: Iterable[str | Path]) -> None:
        """Write the generation atomically (a temporary file, then a rename), unless
        it holds just what the file already does (a warm run that changed nothing); a
        cache that cannot be written is left as it was."""
        done = files_digest(str(path) for path in complete)
        if not self.dirty and done == self.complete:
            return
        self.complete = done
        document = {
            "format": FORMAT,
            "complete": self.complete,
            "entries": self.entries,
        }
        data = json.dumps(document, separators=(",", ":")).encode()
        import tempfile  # a warm run that changed nothing saves nothing: no import

        with contextlib.suppress(OSError):
            self._prepare()
            fd, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(temp, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            self._prune()

    def _prepare(self) -> None:
        """The directory, with its ignore file and tag: each checked on its own and
        written whole, so a disk full meanwhile never leaves one missing for good."""
        from codemods.engine.writer import write_new  # a run that saves nothing: none

        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", IGNORE_ALL), ("CACHEDIR.TAG", TAG)):
            path = self.directory / name
            if not path.exists():
                write_new(path, text.encode())

    def _prune(self) -> None:
        """Keep the most recently written generations only."""
        generations = sorted(
            self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime_ns
        )
        for old in generations[:-KEEP_GENERATIONS]:
            with contextlib.suppress(OSError):
                old.unlink()


def files_digest(paths: Iterable[str]) -> str:
    """One word for a set of files (a warm run compares it, not 20,000 paths)."""
    joined = "\0".join(sorted(paths)).encode("utf-8", "surrogateescape")
    return hashlib.sha1(joined, usedforsecurity=False).hexdigest()


def _still_valid(path: str, size: int, digest: str) -> Stamp | None:
    """The file's current stamp if its content is still the one hashed to ``digest``
    (``size`` spares reading a file that has grown or shrunk)."""
    try:
        read = read_regular(path, size)
    except OSError:
        return None
    if read is None:
        return None
    raw, stat = read
    stamp = stamp_of(raw, stat)
    return stamp if stamp[2] == digest else None


def _servable(values: Mapping[str, Any], want_diff: bool, write: bool) -> bool:
    if not values["changed"]:
        return True
    return not write and (not want_diff or values["diff"] is not None)
