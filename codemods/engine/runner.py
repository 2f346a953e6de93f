"""A whole run: discover files, process them in the pool, summarise. Never prints.

Each file is parsed at most once per run, by the worker that first takes it. When no
selected codemod consults the project index, that is all: one phase. Otherwise
(``docs/design.md``, "Cross-file codemods"):

1. **Scan.** Files spelling a trigger word are parsed; their facts come back, and each
   is transformed with an index of its own facts, recording the questions asked. A
   file that asked some is *pending*: not written, its tree kept by its worker.
2. **Rounds.** The parent builds the project index from all facts. Files not yet
   parsed are scanned when they spell a name that now matters (``dynamic_triggers``)
   or define a module an answer needs (``unresolved``), until nothing new turns up.
3. **Finalize.** A pending file whose questions the full index answers differently is
   transformed again, on the tree its worker kept, with the full index.
4. **Commit** (with ``--write``): each pending file's worker writes its final text.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from codemods.config import Settings
from codemods.engine.discovery import discover, display
from codemods.engine.phases import Finalize, Finalized, Scan, Scanned, worker_state
from codemods.engine.pipeline import Job, module_name_of, process_file
from codemods.engine.pool import Item, Pool, Work, cpu_count
from codemods.engine.results import FileResult, Summary

if TYPE_CHECKING:
    from codemods.analysis.facts import ModuleFacts
    from codemods.analysis.index import Query

Mode = Literal["check", "run"]
OnResult = Callable[[FileResult], None]


@dataclass(frozen=True)
class Request:
    paths: tuple[Path, ...]
    settings: Settings
    mode: Mode = "check"
    write: bool = False
    want_diff: bool = False
    safe_only: bool = False
    jobs: int | None = None
    file_timeout: float = 120.0


def run(
    request: Request,
    *,
    on_start: Callable[[int], None] | None = None,
    on_result: OnResult | None = None,
) -> Summary:
    """Process every discovered file; ``on_result`` sees each final result once."""
    found = discover(request.paths, request.settings)
    job = Job(
        request.settings,
        want_diff=request.want_diff,
        write=request.write,
        safe_only=request.safe_only,
    )
    items = [(path, display(path)) for path in found.files]
    if on_start is not None:
        on_start(len(items))
    results, stats = _process(
        items, job, _jobs(request), request.file_timeout, on_result
    )
    return Summary.of(results, mode=request.mode, skipped=found.skipped, stats=stats)


def _jobs(request: Request) -> int:
    wanted = request.jobs if request.jobs is not None else request.settings.jobs
    return wanted if wanted else cpu_count()


def _process(
    items: Sequence[tuple[Path, str]],
    job: Job,
    jobs: int,
    file_timeout: float,
    on_result: OnResult | None,
) -> tuple[list[FileResult], dict[str, int]]:
    if not items:
        return [], {}
    workers = max(1, min(jobs, len(items)))
    chunk = max(1, min(64, len(items) // (workers * 4)))
    with Pool(workers, worker_state, job, file_timeout=file_timeout) as pool:
        phases = _Phases(pool, job, chunk, on_result)
        results = phases.run(items)
    return results, dict(phases.stats)


def work_for(job: Job) -> Work:
    """The one-phase per-file function (``process_file``); module level, it pickles."""
    return partial(process_file, job=job)


class _Phases:
    """The phases of one run over one pool."""

    def __init__(
        self, pool: Pool, job: Job, chunk: int, on_result: OnResult | None
    ) -> None:
        self.pool, self.job, self.chunk, self.on_result = pool, job, chunk, on_result
        self.paths: dict[str, Path] = {}
        self.results: dict[str, FileResult] = {}
        self.scanned: dict[str, Scanned] = {}
        # Pending files: their latest questions, the worker keeping their tree, and the
        # index file their current result comes from (None: their local index).
        self.queries: dict[str, tuple[Query, ...]] = {}
        self.holders: dict[str, int | None] = {}
        self.answered: dict[str, str | None] = {}
        self.unresolved: set[str] = set()
        self.emitted: set[str] = set()
        self.modules: dict[str, str] | None = None
        self.stats: Counter[str] = Counter()

    def run(self, items: Sequence[tuple[Path, str]]) -> list[FileResult]:
        self.paths = {shown: path for path, shown in items}
        self._scan([(path, shown, Scan()) for path, shown in items])
        if self.queries:
            with tempfile.TemporaryDirectory(prefix="codemods-index-") as scratch:
                self._settle(Path(scratch))
        for shown in self.results:
            self._emit(shown)
        return list(self.results.values())

    def _emit(self, shown: str) -> None:
        if shown not in self.emitted:
            self.emitted.add(shown)
            if self.on_result is not None:
                self.on_result(self.results[shown])

    # -- scan -------------------------------------------------------------------------

    def _scan(self, items: Sequence[Item]) -> None:
        self.stats["rounds"] += 1
        for outcome in self.pool.run(items, self.chunk):
            if isinstance(outcome, FileResult):  # its worker crashed or timed out
                self.results[outcome.path] = outcome
                self._emit(outcome.path)
                continue
            assert isinstance(outcome, Scanned)
            shown = outcome.result.path
            self.results[shown] = outcome.result
            if not outcome.parsed:
                continue  # a later round may still parse it
            self.stats["parsed"] += 1
            self.scanned[shown] = outcome
            if outcome.pending:
                self.queries[shown] = outcome.queries
                self.holders[shown] = outcome.holder
                self.answered[shown] = None
            else:
                self._emit(shown)

    # -- index, rounds, finalize, commit ----------------------------------------------

    def _settle(self, scratch: Path) -> None:
        from codemods.analysis.index import IndexScope, ProjectIndex

        seen_words = set(self.job.triggers)
        index = ProjectIndex.build(self._facts(), IndexScope.of(self.job.settings))
        index_file: str | None = None
        while True:
            stale = [s for s, q in self.queries.items() if not index.replays(q)]
            words = set(index.dynamic_triggers()) - seen_words
            seen_words |= words
            more = self._more_files(words, index.unresolved)
            if more:
                self._scan(more)
                index = ProjectIndex.build(
                    self._facts(), IndexScope.of(self.job.settings)
                )
                continue
            if not stale:
                break
            index_file = str(
                scratch / f"index-{self.stats['rounds']}-{len(stale)}.pickle"
            )
            with open(index_file, "wb") as handle:
                pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
            self._finalize(stale, index_file, commit=False)
        if self.job.write:
            self._commit()

    def _facts(self) -> list[ModuleFacts]:
        return [s.facts for s in self.scanned.values() if s.facts is not None]

    def _more_files(self, words: set[bytes], unresolved: set[str]) -> list[Item]:
        """Files not parsed yet that a new word or an unresolved name points to."""
        waiting = [
            shown
            for shown, result in self.results.items()
            if shown not in self.scanned and result.error is None
        ]
        if not waiting:
            return []
        wanted = self._modules_defining(unresolved | self.unresolved)
        self.unresolved.clear()
        items: list[Item] = []
        for shown in waiting:
            if shown in wanted:
                items.append((self.paths[shown], shown, Scan(force=True)))
            elif words:
                items.append(
                    (self.paths[shown], shown, Scan(words=tuple(sorted(words))))
                )
        return items

    def _modules_defining(self, names: set[str]) -> set[str]:
        """Shown paths of the project files that would define ``names``."""
        if not names:
            return set()
        if self.modules is None:
            self.modules = {}
            for shown, path in sorted(self.paths.items()):
                self.modules.setdefault(module_name_of(path), shown)
        found = set()
        for name in names:
            parts = name.split(".")
            for end in range(len(parts), 0, -1):
                defining = self.modules.get(".".join(parts[:end]))
                if defining is not None:
                    found.add(defining)
                    break
        return found

    def _finalize(
        self, files: Sequence[str], index_file: str | None, *, commit: bool
    ) -> None:
        by_pid: dict[int, list[Item]] = {}
        for shown in files:
            holder = self.holders.get(shown)
            task = Finalize(index_file, commit=commit)
            by_pid.setdefault(-1 if holder is None else holder, []).append(
                (self.paths[shown], shown, task)
            )
        for outcome in self.pool.run_pinned(by_pid, self.chunk):
            if isinstance(outcome, FileResult):  # its worker crashed or timed out
                self.results[outcome.path] = outcome
                self.queries.pop(outcome.path, None)
                continue
            assert isinstance(outcome, Finalized)
            shown = outcome.result.path
            self.results[shown] = outcome.result
            self.stats["finalized" if not commit else "committed"] += 1
            self.stats["reparsed"] += outcome.reparsed
            if outcome.result.error is not None:
                self.queries.pop(shown, None)
                continue
            self.queries[shown] = outcome.queries
            self.holders[shown] = outcome.holder
            self.answered[shown] = index_file
            self.unresolved |= outcome.unresolved

    def _commit(self) -> None:
        by_index: dict[str | None, list[str]] = {}
        for shown in self.queries:
            by_index.setdefault(self.answered[shown], []).append(shown)
        for index_file, files in by_index.items():
            self._finalize(files, index_file, commit=True)
