"""The worker side of a run's phases: scan, finalize, commit (see ``runner``).

A worker scans a file by parsing it once: it collects the module's facts and transforms
it with a local index, recording the questions the codemods asked. When some were asked,
the result may depend on other modules, so it is pending: not written, and the parsed
tree kept in this worker (within a memory budget) for the finalize phase, which
transforms it again with the full index, and the commit, which writes the final text.
A file whose tree was not kept, or whose worker was replaced after a crash, is parsed
again there (counted as a re-parse).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.engine.cache import Stamp
from codemods.engine.worker.file import (
    Job,
    Loaded,
    error_result,
    file_result,
    judged,
    load_file,
    module_name_of,
    process_file,
    spells_any,
    spells_identifier,
)
from codemods.core.results import FileResult
from codemods.core.source import SourceError
from codemods.engine.worker.transform import (
    Parsed,
    Transformed,
    TransformError,
    module_facts,
    parse_for,
    transform_module,
)

if TYPE_CHECKING:
    from codemods.analysis.facts import ModuleFacts
    from codemods.analysis.index import ProjectIndex, Query


@dataclass(frozen=True)
class Scan:
    """Task: parse the file if it spells one of the identifiers ``words`` (None: if it
    holds one of the job's triggers), or whatever it holds when ``force`` (a module
    the index needs)."""

    words: tuple[bytes, ...] | None = None
    force: bool = False
    # Another shard's file: only its facts are wanted (for the project index).
    facts_only: bool = False


@dataclass(frozen=True)
class Finalize:
    """Task: the file's result with the index pickled in ``index_file`` (None: its own,
    local index), transforming the kept tree again unless its result already comes
    from that index; ``commit``: write it (in write mode) and let the tree go."""

    index_file: str | None
    commit: bool = False


@dataclass(frozen=True)
class Scanned:
    result: FileResult
    facts: ModuleFacts | None = None
    queries: tuple[Query, ...] = ()
    parsed: bool = False
    # The result depends on other modules' facts: not final, not written.
    pending: bool = False
    # The pid of the worker keeping the parsed tree, if it is kept.
    holder: int | None = None
    # The file's stamp when read, if the job records stamps (for the cache).
    stamp: Stamp | None = None
    # Its facts come from the shared index file (``--index``): it was not parsed.
    shared: bool = False


@dataclass(frozen=True)
class Finalized:
    result: FileResult
    queries: tuple[Query, ...] = ()
    reparsed: bool = False
    # Names the full index could not resolve for this file (modules to scan next).
    unresolved: frozenset[str] = frozenset()
    holder: int | None = None


@dataclass
class _Kept:
    loaded: Loaded
    parsed: Parsed
    outcome: Transformed
    # The index file ``outcome`` was computed with; None: the local index.
    index_file: str | None = None


def scan_filter(job: Job, task: Scan) -> Callable[[bytes], bool] | None:
    """What a file's bytes must spell for ``task`` to parse it (None: anything)."""
    if not job.prefilter or task.force:
        return None
    # Static triggers are substrings; the index's names must be identifiers.
    if task.words is None:
        return spells_any(job.triggers)
    return spells_identifier(task.words)


def _wanted_in_code(loaded: Loaded, task: Scan) -> bool:
    """Whether the words that made ``task`` take the file count in its code: a codemod
    could concern it, or it spells one of the index's names as an identifier."""
    relevance = loaded.relevance
    if relevance is None:
        return True
    if task.words is None:
        return bool(relevance.codes)
    return relevance.spells(task.words)


class WorkerState:
    """The work function of one worker process, and the trees it keeps."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.kept: dict[Path, _Kept] = {}
        self.kept_size = 0
        self.indexes: dict[str, ProjectIndex] = {}

    def __call__(
        self, path: Path, shown: str, task: Scan | Finalize | None = None
    ) -> FileResult | Scanned | Finalized:
        if task is None:
            return process_file(path, shown, self.job)
        if isinstance(task, Scan):
            return self.scan(path, shown, task)
        return self.finalize(path, shown, task)

    def scan(self, path: Path, shown: str, task: Scan) -> Scanned:
        job = self.job
        wanted = scan_filter(job, task)
        stamps: dict[Path, Stamp] | None = {} if job.stamp else None
        loaded = load_file(path, shown, wanted, stamps)
        stamp = None if stamps is None else stamps.get(path)
        if not isinstance(loaded, Loaded):
            return Scanned(loaded, stamp=stamp)
        if job.prefilter:
            loaded = judged(loaded, job)
            if wanted is not None and not _wanted_in_code(loaded, task):
                # Its trigger words are only in strings or comments (or name kept
                # tasks): like a file spelling none, it stays unparsed unless a later
                # round asks for it.
                return Scanned(FileResult(shown), stamp=stamp)
        try:
            if task.facts_only:
                parsed = self._parse(loaded, codes=(), facts=True)
                name = module_name_of(path)
                facts = module_facts(parsed, job.settings, name, shown)
                return Scanned(FileResult(shown), facts, parsed=True, stamp=stamp)
            parsed = self._parse(loaded, codes=job.codes, facts=job.uses_index)
            outcome = self._transform(loaded, parsed, None)
        except (SourceError, TransformError) as exc:
            return Scanned(error_result(shown, exc), parsed=True, stamp=stamp)
        pending = bool(outcome.queries)
        result = file_result(loaded, outcome, job, write=job.write and not pending)
        holder = None
        kept = _Kept(loaded, parsed, outcome)
        if pending and self._fits(kept):
            self.kept[path] = kept
            self.kept_size += len(loaded.decoded.text)
            holder = os.getpid()
        return Scanned(
            result, outcome.facts, outcome.queries, True, pending, holder, stamp
        )

    def finalize(self, path: Path, shown: str, task: Finalize) -> Finalized:
        index = self._index(task.index_file)
        kept = self.kept.get(path)
        reparsed = kept is None
        transformed = reparsed or (
            kept is not None and kept.index_file != task.index_file
        )
        try:
            if kept is None:
                loaded = load_file(path, shown, None)
                if not isinstance(loaded, Loaded):
                    return Finalized(loaded, reparsed=True)
                if self.job.prefilter:
                    loaded = judged(loaded, self.job)
                parsed = self._parse(loaded, codes=self.job.codes, facts=False)
                kept = _Kept(loaded, parsed, self._transform(loaded, parsed, index))
                kept.index_file = task.index_file
                if not task.commit and self._fits(kept):
                    self.kept[path] = kept
                    self.kept_size += len(loaded.decoded.text)
            elif kept.index_file != task.index_file:
                kept.outcome = self._transform(kept.loaded, kept.parsed, index)
                kept.index_file = task.index_file
        except (SourceError, TransformError) as exc:
            return Finalized(error_result(shown, exc), reparsed=reparsed)
        if task.commit:
            self._release(path)
        write = self.job.write and task.commit
        result = file_result(kept.loaded, kept.outcome, self.job, write=write)
        unresolved: frozenset[str] = frozenset()
        if index is not None and transformed:
            unresolved = frozenset(index.unresolved)
        holder = os.getpid() if path in self.kept else None
        return Finalized(result, kept.outcome.queries, reparsed, unresolved, holder)

    def _parse(self, loaded: Loaded, *, codes: Sequence[str], facts: bool) -> Parsed:
        """``loaded`` parsed for the codemods ``codes`` (and its facts, with
        ``facts``), elided where its ``ast`` allows (not judged: whole)."""
        text, relevance = loaded.decoded.text, loaded.relevance
        return parse_for(
            text, codes, self.job.settings, relevance=relevance, facts=facts
        )

    def _transform(
        self, loaded: Loaded, parsed: Parsed, index: ProjectIndex | None
    ) -> Transformed:
        """Transform ``parsed``; with a (full) ``index``, record the questions asked of
        it and the names it could not resolve."""
        job = self.job
        if index is not None:
            index.log, index.unresolved = [], set()
        outcome = transform_module(
            parsed,
            job.codes,
            job.settings,
            module_name=module_name_of(loaded.path),
            index=index,
            safe_only=job.safe_only,
            filename=loaded.shown,
            only_triggered=job.prefilter,
            relevance=loaded.relevance,
        )
        if index is None:
            return outcome
        return replace(outcome, queries=tuple(index.log or ()))

    def _index(self, index_file: str | None) -> ProjectIndex | None:
        if index_file is None:
            return None
        if index_file not in self.indexes:
            # One index at a time: an older one is never asked again.
            self.indexes.clear()
            with open(index_file, "rb") as handle:
                self.indexes[index_file] = pickle.load(handle)
        return self.indexes[index_file]

    def _fits(self, kept: _Kept) -> bool:
        return self.kept_size + len(kept.loaded.decoded.text) <= self.job.keep_budget

    def _release(self, path: Path) -> None:
        kept = self.kept.pop(path, None)
        if kept is not None:
            self.kept_size -= len(kept.loaded.decoded.text)


def worker_state(job: Job) -> WorkerState:
    """The per-item function a worker runs (module level, so it pickles)."""
    return WorkerState(job)
