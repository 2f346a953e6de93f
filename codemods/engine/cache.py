"""The results cache (``.codemods_cache/``, ``--cache-dir``, ``--no-cache``).

One JSON file per *generation*: the tool (its version, its own source files, LibCST's
version, Python's) and every setting that can change a result. Changing any of them
starts a new generation, so nothing cached under other settings is ever served. Inside,
one entry per file, keyed by its absolute path: size, mtime and content hash when it
was read, its module name, whether it holds none of the static trigger words
("statically clean"), and its final result (findings, changed or not; the diff when the
run made one).

An entry is valid when size and mtime still match, or when the size matches and the
content still hashes the same (a touched or re-checked-out file), and the module name
(which depends on ``__init__.py`` files around it) is the same.

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
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from codemods.engine.results import FileError, FileResult, Finding

FORMAT = 1
# Generations kept side by side (other settings, other checkouts of the tool).
KEEP_GENERATIONS = 8
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by taskgroup-codemods.\n"
)

# (size, mtime in ns, content hash) of a file as it was read.
Stamp = tuple[int, int, str]


def content_hash(raw: bytes) -> str:
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def stamp_of(raw: bytes, stat: os.stat_result) -> Stamp:
    return stat.st_size, stat.st_mtime_ns, content_hash(raw)


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """What invalidates every entry: this tool's version and source files, LibCST's
    version, Python's. (The source files count so that a development checkout, whose
    version number does not move, never serves results of older code.)"""
    from codemods import __version__

    package = Path(__file__).resolve().parents[1]
    sources: list[tuple[str, int, int]] = []
    for path in sorted(package.rglob("*.py")):
        if "_bundled" in path.parts:
            continue  # the bundled sample application: data, not code
        with contextlib.suppress(OSError):
            stat = path.stat()
            name = path.relative_to(package).as_posix()
            sources.append((name, stat.st_size, stat.st_mtime_ns))
    blob = json.dumps([__version__, _libcst_files(), sys.version, sources])
    return hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()[:16]


def _libcst_files() -> list[tuple[str, int, int]]:
    """LibCST's version, as the size and time of its version module (installing any
    other release replaces it): ``importlib.metadata`` alone costs a warm run ~10 ms,
    and importing LibCST far more."""
    import importlib.util

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
class Entry:
    stamp: Stamp
    module: str
    statically_clean: bool
    # The final result (its path is not used), if it may be served.
    result: FileResult | None = None


@dataclass
class Lookup:
    """What the cache can answer for one run."""

    # Final results, by path.
    results: dict[Path, FileResult] = field(default_factory=dict)
    # Files known not to spell a static trigger (when their result is not served: in a
    # run that uses the project index, a later round may still parse them).
    statically_clean: set[Path] = field(default_factory=set)
    # Valid entries' stamps, by path (to record again without reading the file).
    stamps: dict[Path, Stamp] = field(default_factory=dict)


class Cache:
    """One generation's entries, loaded at the start of a run and saved at its end."""

    def __init__(self, directory: Path, generation: str) -> None:
        self.directory = directory
        self.generation = generation
        self.entries: dict[str, Entry] = {}
        self.complete: frozenset[str] = frozenset()
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
            document = json.loads(self.file.read_bytes())
            entries = {
                path: _entry(values) for path, values in document["entries"].items()
            }
            complete = frozenset(document["complete"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # missing or corrupt: start empty, never fail
        self.entries, self.complete = entries, complete

    def lookup(
        self,
        files: Sequence[tuple[Path, str]],
        *,
        uses_index: bool,
        want_diff: bool,
        write: bool,
    ) -> Lookup:
        """What can be reused for ``files`` ((path, module name) pairs)."""
        found = Lookup()
        servable: dict[Path, FileResult] = {}
        for path, module in files:
            entry = self.entries.get(str(path))
            if entry is None or entry.module != module:
                continue
            stamp = _still_valid(path, entry.stamp)
            if stamp is None:
                continue
            found.stamps[path] = stamp
            if entry.statically_clean:
                found.statically_clean.add(path)
            result = entry.result
            if result is not None and _servable(result, want_diff, write):
                servable[path] = result
        if not uses_index:
            found.results = servable
        elif len(servable) == len(files) and self.complete == {
            str(path) for path, _ in files
        }:
            found.results = servable
        return found

    # -- writing ---------------------------------------------------------------------

    def record(
        self,
        path: Path,
        stamp: Stamp,
        module: str,
        *,
        statically_clean: bool,
        result: FileResult | None,
    ) -> None:
        self.entries[str(path)] = Entry(stamp, module, statically_clean, result)

    def forget(self, path: Path) -> None:
        self.entries.pop(str(path), None)

    def save(self, complete: Iterable[Path]) -> None:
        """Write the generation atomically (a temporary file, then a rename); a cache
        that cannot be written is left as it was."""
        self.complete = frozenset(str(path) for path in complete)
        document = {
            "format": FORMAT,
            "complete": sorted(self.complete),
            "entries": {path: _values(entry) for path, entry in self.entries.items()},
        }
        data = json.dumps(document, separators=(",", ":")).encode()
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
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(TAG)
            (self.directory / ".gitignore").write_text("# Automatically created.\n*\n")

    def _prune(self) -> None:
        """Keep the most recently written generations only."""
        generations = sorted(
            self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime_ns
        )
        for old in generations[:-KEEP_GENERATIONS]:
            with contextlib.suppress(OSError):
                old.unlink()


def _still_valid(path: Path, stamp: Stamp) -> Stamp | None:
    """The file's current stamp if its content is the one ``stamp`` describes."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    size, mtime, digest = stamp
    if stat.st_size != size:
        return None
    if stat.st_mtime_ns == mtime:
        return stamp
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return (size, stat.st_mtime_ns, digest) if content_hash(raw) == digest else None


def _servable(result: FileResult, want_diff: bool, write: bool) -> bool:
    if not result.changed:
        return True
    return not write and (not want_diff or result.diff is not None)


# -- JSON form -------------------------------------------------------------------


def _values(entry: Entry) -> list[Any]:
    result = None
    if entry.result is not None:
        result = {
            "changed": entry.result.changed,
            "changed_by": list(entry.result.changed_by),
            "findings": [asdict(finding) for finding in entry.result.findings],
            "diff": entry.result.diff,
            "error": None if entry.result.error is None else asdict(entry.result.error),
        }
    return [list(entry.stamp), entry.module, entry.statically_clean, result]


def _entry(values: Any) -> Entry:
    (size, mtime, digest), module, statically_clean, result = values
    if not (
        isinstance(size, int)
        and isinstance(mtime, int)
        and isinstance(digest, str)
        and isinstance(module, str)
        and isinstance(statically_clean, bool)
    ):
        raise TypeError("bad entry")
    return Entry((size, mtime, digest), module, statically_clean, _result(result))


def _result(values: Mapping[str, Any] | None) -> FileResult | None:
    if values is None:
        return None
    findings = tuple(_finding(finding) for finding in values["findings"])
    diff = values["diff"]
    if not isinstance(diff, (str, type(None))):
        raise TypeError("bad diff")
    error = values.get("error")
    return FileResult(
        "",
        changed=bool(values["changed"]),
        findings=findings,
        error=None if error is None else _error(error),
        diff=diff,
        changed_by=tuple(str(code) for code in values["changed_by"]),
    )


def _error(values: Mapping[str, Any]) -> FileError:
    error = FileError(**values)
    if not (isinstance(error.kind, str) and isinstance(error.message, str)):
        raise TypeError("bad error")
    return error


def _finding(values: Mapping[str, Any]) -> Finding:
    finding = Finding(**values)
    if not (
        isinstance(finding.rule, str)
        and isinstance(finding.line, int)
        and isinstance(finding.col, int)
        and isinstance(finding.message, str)
    ):
        raise TypeError("bad finding")
    return finding


def with_path(result: FileResult, shown: str) -> FileResult:
    return FileResult(
        shown,
        changed=result.changed,
        findings=result.findings,
        error=result.error,
        diff=result.diff,
        changed_by=result.changed_by,
    )
