"""The worker side of a run's phases: scan, finalize, commit (``parent/phases.py``
sends the tasks, ``tasks.py`` holds them).

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
from dataclasses import dataclass, replace
from pathlib import Path

from codemods.analysis.index import ProjectIndex
from codemods.core.results import FileResult
from codemods.core.source import SourceError
from codemods.engine.cache import Stamp
from codemods.engine.files import Loaded, error_result, load_file
from codemods.engine.job import Job
from codemods.engine.tasks import Finalize, Finalized, Scan, Scanned, scan_filter
from codemods.engine.worker.context import FileContext
from codemods.engine.worker.result import file_result
from codemods.engine.worker.stages import Transformed, TransformError
from codemods.engine.worker.transform import (
    Parsed,
    module_facts,
    parse_for,
    transform_module,
)


@dataclass
class _Kept:
    context: FileContext
    parsed: Parsed
    outcome: Transformed
    # The index file ``outcome`` was computed with; None: the local index.
    index_file: str | None = None

    @property
    def size(self) -> int:
        return len(self.context.text)


def _wanted_in_code(context: FileContext, task: Scan) -> bool:
    """Whether the words that made ``task`` take the file count in its code: a codemod
    could concern it, or it spells one of the index's names as an identifier."""
    relevance = context.relevance
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
        self, path: Path, shown: str, task: Scan | Finalize
    ) -> Scanned | Finalized:
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
        context = FileContext.of_file(loaded, job)
        if wanted is not None and not _wanted_in_code(context, task):
            # Its trigger words are only in strings or comments (or name kept
            # tasks): like a file spelling none, it stays unparsed unless a later
            # round asks for it.
            return Scanned(FileResult(shown), stamp=stamp)
        try:
            if task.facts_only:
                parsed = parse_for(context, codes=(), facts=True)
                facts = module_facts(context, parsed)
                return Scanned(FileResult(shown), facts, parsed=True, stamp=stamp)
            parsed = parse_for(context, codes=job.codes, facts=job.uses_index)
            outcome = self._transform(context, parsed, None)
        except (SourceError, TransformError) as exc:
            return Scanned(error_result(shown, exc), parsed=True, stamp=stamp)
        pending = bool(outcome.queries)
        result = file_result(context, outcome, write=job.write and not pending)
        holder = None
        kept = _Kept(context, parsed, outcome)
        if pending and self._keep(path, kept):
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
                context = FileContext.of_file(loaded, self.job)
                parsed = parse_for(context, codes=self.job.codes, facts=False)
                outcome = self._transform(context, parsed, index)
                kept = _Kept(context, parsed, outcome, task.index_file)
                if not task.commit:
                    self._keep(path, kept)
            elif kept.index_file != task.index_file:
                kept.outcome = self._transform(kept.context, kept.parsed, index)
                kept.index_file = task.index_file
        except (SourceError, TransformError) as exc:
            return Finalized(error_result(shown, exc), reparsed=reparsed)
        if task.commit:
            self._release(path)
        write = self.job.write and task.commit
        result = file_result(kept.context, kept.outcome, write=write)
        unresolved: frozenset[str] = frozenset()
        if index is not None and transformed:
            unresolved = frozenset(index.unresolved)
        holder = os.getpid() if path in self.kept else None
        return Finalized(result, kept.outcome.queries, reparsed, unresolved, holder)

    def _transform(
        self, context: FileContext, parsed: Parsed, index: ProjectIndex | None
    ) -> Transformed:
        """Transform ``parsed``; with a (full) ``index``, record the questions asked of
        it and the names it could not resolve."""
        if index is not None:
            index.log, index.unresolved = [], set()
        outcome = transform_module(context, parsed, index)
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

    def _keep(self, path: Path, kept: _Kept) -> bool:
        """Keep ``kept`` for the next phase, if it fits in the budget; its ``ast`` is
        not read again, so it goes."""
        if self.kept_size + kept.size > self.job.keep_budget:
            return False
        kept.context.syntax.forget()
        self.kept[path] = kept
        self.kept_size += kept.size
        return True

    def _release(self, path: Path) -> None:
        kept = self.kept.pop(path, None)
        if kept is not None:
            self.kept_size -= kept.size


def worker_state(job: Job) -> WorkerState:
    """The per-item function a worker runs (module level, so it pickles)."""
    return WorkerState(job)
