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

from codemods import __version__
from codemods.core.results import FileError, FileResult, Finding

FORMAT = 3
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
    package = Path(__file__).resolve().parents[1]
    sources: list[tuple[str, int, int]] = []
    for path in sorted(package.rglob("*.py")):
        if "_bundled" in path.parts or "cases" in path.parts:
            continue  # the bundled sample application, golden cases: data, not code
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


# An entry as the JSON file holds it, kept so while the run lasts (a warm run reads,
# compares and writes back 20,000 of them): [[size, mtime, hash], module name,
# statically clean, result or None].
Raw = list[Any]
# The result of a file no codemod changes or reports: most of a tree, so a quarter of
# the file's JSON if spelled out.
CLEAN = "clean"


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
            entries, complete = document["entries"], document["complete"]
            if not isinstance(entries, dict) or not isinstance(complete, str):
                raise TypeError("bad document")
        except (OSError, ValueError, KeyError, TypeError):
            return  # missing or corrupt: start empty, never fail
        # An entry is checked in full when looked up; one of the wrong shape is dropped.
        self.entries = {
            key: raw
            for key, raw in entries.items()
            if isinstance(raw, list) and len(raw) == 4
        }
        self.complete = complete
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

        Asked of every file of a warm run, so an entry is taken apart only as far as
        its answer needs: a stamp of the wrong type never matches the file's, and only
        a result that is served is checked in full."""
        found = Lookup()
        servable: dict[str, FileResult] = {}
        entries = self.entries
        for path, module, shown in files:
            raw = entries.get(path)
            if raw is None:
                continue
            try:
                (size, mtime, digest), entry_module, statically_clean, values = raw
            except (ValueError, TypeError):
                self._drop(path)  # corrupt: as if missing
                continue
            if entry_module != module:
                continue
            stamp = _still_valid(path, size, mtime, digest)
            if stamp is None:
                continue
            found.stamps[shown] = stamp
            if stamp[1] != mtime:
                found.restamped.add(shown)
            if statically_clean is True:
                found.statically_clean.add(shown)
            if values == CLEAN:
                servable[shown] = FileResult(shown)
                continue
            try:
                if isinstance(values, dict) and _servable(values, want_diff, write):
                    servable[shown] = _result(values, shown)
            except (KeyError, TypeError, ValueError):
                self._drop(path)  # corrupt: computed again
        if not uses_index:
            found.results = servable
        elif len(servable) == len(files) and self.complete == files_digest(
            path for path, _, _ in files
        ):
            found.results = servable
        return found

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
        raw = _values(stamp, module, statically_clean, result)
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


def files_digest(paths: Iterable[str]) -> str:
    """One word for a set of files (a warm run compares it, not 20,000 paths)."""
    joined = "\0".join(sorted(paths)).encode("utf-8", "surrogateescape")
    return hashlib.sha1(joined, usedforsecurity=False).hexdigest()


def _still_valid(path: str, size: int, mtime: int, digest: str) -> Stamp | None:
    """The file's current stamp if its content is the one (``size``, ``mtime``,
    ``digest``) describes."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if stat.st_size != size or not isinstance(digest, str):
        return None
    if stat.st_mtime_ns == mtime:
        return stat.st_size, stat.st_mtime_ns, digest
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    return (size, stat.st_mtime_ns, digest) if content_hash(raw) == digest else None


def _servable(values: Mapping[str, Any], want_diff: bool, write: bool) -> bool:
    if not values["changed"]:
        return True
    return not write and (not want_diff or values["diff"] is not None)


# -- JSON form -------------------------------------------------------------------


def _values(
    stamp: Stamp, module: str, statically_clean: bool, result: FileResult | None
) -> Raw:
    values: dict[str, Any] | str | None
    if result is None:
        values = None
    elif result == FileResult(result.path):
        values = CLEAN  # nothing to say but that
    else:
        values = {
            "changed": result.changed,
            "changed_by": list(result.changed_by),
            "findings": [asdict(finding) for finding in result.findings],
            "diff": result.diff,
            "error": None if result.error is None else asdict(result.error),
        }
    return [list(stamp), module, statically_clean, values]


def _result(values: Mapping[str, Any], shown: str) -> FileResult:
    findings = tuple(_finding(finding) for finding in values["findings"])
    diff = values["diff"]
    if not isinstance(diff, (str, type(None))):
        raise TypeError("bad diff")
    error = values.get("error")
    return FileResult(
        shown,
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
