"""The parent's side of a run that needs the pool: which files go to the workers, in
which phase (see ``runner``), and what comes back.

Imported only by a run with files to process: a warm run served whole by the cache
never starts (nor imports) the pool.
"""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemods.core.results import FileResult
from codemods.engine.cache import Stamp
from codemods.engine.discovery import module_name
from codemods.engine.files import load_file, spells_any
from codemods.engine.inline import InlinePool, LazyPool, is_small
from codemods.engine.job import Job
from codemods.engine.parent.memo import Memo
from codemods.engine.reporting.progress import SILENT, Progress
from codemods.engine.tasks import Finalize, Finalized, Scan, Scanned
from codemods.engine.work import Item

# The pool is started lazily (``inline.LazyPool``): a small run needs none; the index
# is built (``_settle``) only by a run with candidates.
if TYPE_CHECKING:
    from codemods.analysis.facts import ModuleFacts
    from codemods.analysis.index import ProjectIndex, Query
    from codemods.engine.parent.shared_index import Foreign
    from codemods.engine.pool import Pool

# What each worker runs: imported there, never by the parent (``pool.work_of``).
WORKER = "codemods.engine.worker.phases:worker_state"
OnResult = Callable[[FileResult], None]
# Up to this many files (not answered by the cache), the parent reads them itself, so
# that files spelling no trigger word never need a worker.
PARENT_PREFILTER = 256


class Phases:
    """The phases of one run over one (lazily started) pool."""

    def __init__(
        self,
        pool: LazyPool,
        job: Job,
        on_result: OnResult | None,
        *,
        memo: Memo | None = None,
        own: Callable[[Path], bool] | None = None,
        shared: Foreign | None = None,
        progress: Progress = SILENT,
    ) -> None:
        self.lazy_pool, self.job, self.on_result = pool, job, on_result
        # Counts the files handed to the workers, batch by batch, as they come back.
        self.progress = progress
        self.memo = Memo(None, job) if memo is None else memo
        # With a shard in a run that uses the index: the other shards' files are
        # scanned for their facts only (or take them from ``shared``), never reported.
        self.own, self.shared = own, shared
        # Shown path -> path (a Path made only for a file the run reads, ``path``).
        self.paths: dict[str, str | Path] = {}
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
        # The size of each file the parent's prefilter left for parsing (None: it did
        # not read them): few and small, they are done in this process, no pool.
        self.candidate_sizes: list[int] | None = None

    def run(
        self,
        items: Sequence[tuple[str | Path, str]],
        served: Mapping[str, FileResult] | None = None,
    ) -> list[FileResult]:
        """Results for ``items``, taking those ``served`` (from the cache) as final."""
        self.paths = {shown: path for path, shown in items}
        served = {} if served is None else served
        for shown, result in served.items():
            self.results[shown] = result
            self._emit(shown)
        self.stats["cached"] = len(served)
        todo = [(self.path(s), s) for _, s in items if s not in served]
        for outcome in self.memo.statically_clean(todo):
            self._accept(outcome, first=True)
        todo = [(p, s) for p, s in todo if s not in self.results]
        for outcome in self._prefilter(todo):
            self._accept(outcome, first=True)
        todo = [(p, s) for p, s in todo if s not in self.results]
        if self.candidate_sizes is not None:
            self.lazy_pool.inline = is_small(self.candidate_sizes)
        if todo:
            self._scan([(path, shown, self._task(shown)) for path, shown in todo])
        # A shard runs the rounds even with none of its files pending: one of them may
        # matter only through the other shards' files (a subclass of theirs); so does
        # a run whose parsed files name what files not parsed yet may call (TG006's
        # callers of a coroutine function, ``dynamic_triggers``).
        if self.queries or self.own is not None or self._facts():
            with tempfile.TemporaryDirectory(prefix="codemods-index-") as scratch:
                self._settle(Path(scratch))
        if self.own is not None:
            foreign = [s for s in self.results if not self.own(self.path(s))]
            for shown in foreign:
                del self.results[shown]
        for shown in self.results:
            self._emit(shown)
        self.memo.save(self.results, self.paths)
        return list(self.results.values())

    def path(self, shown: str) -> Path:
        """The path of the file shown as ``shown`` (as a Path, made once)."""
        path = self.paths[shown]
        if isinstance(path, str):
            path = self.paths[shown] = Path(path)
        return path

    def _pool(self, items: int) -> Pool | InlinePool:
        """The pool (started, and sized for ``items`` files, on first use)."""
        return self.lazy_pool.get(items)

    @property
    def chunk(self) -> int:
        return self.lazy_pool.chunk

    def _task(self, shown: str, **options: Any) -> Scan:
        foreign = self.own is not None and not self.own(self.path(shown))
        return Scan(facts_only=foreign, **options)

    def _emit(self, shown: str) -> None:
        if self.own is not None and not self.own(self.path(shown)):
            return
        if shown not in self.emitted:
            self.emitted.add(shown)
            if self.on_result is not None:
                self.on_result(self.results[shown])

    def _prefilter(self, todo: Sequence[tuple[Path, str]]) -> list[Scanned]:
        """On a small run, the parent reads the files itself: those spelling no
        trigger word never need a worker (and a run without candidates no pool)."""
        job = self.job
        if len(todo) > PARENT_PREFILTER or not job.prefilter or self.own is not None:
            return []
        outcomes = []
        self.candidate_sizes = []
        wanted = spells_any(job.triggers)
        for path, shown in todo:
            stamps: dict[Path, Stamp] | None = {} if job.stamp else None
            loaded = load_file(path, shown, wanted, stamps)
            if isinstance(loaded, FileResult):
                stamp = None if stamps is None else stamps.get(path)
                outcomes.append(Scanned(loaded, stamp=stamp))
            else:
                self.candidate_sizes.append(loaded.stat.st_size)
        return outcomes

    # -- scan -------------------------------------------------------------------------

    def _scan(self, items: Sequence[Item]) -> None:
        self.stats["rounds"] += 1
        first = self.stats["rounds"] == 1
        if self.shared is not None:
            served, items = self.shared.split(items)
            for scanned in served:
                self._accept(scanned, first=first)
            self.stats["shared_stale"] = len(self.shared.stale)
        if not items:
            return
        rounds = self.stats["rounds"]
        self.progress.expect(
            len(items), "scanning" if first else f"scanning, round {rounds}"
        )
        for outcome in self._pool(len(items)).run(items, self.chunk):
            self._accept(outcome, first=first)
            if _prefiltered(outcome):
                self.progress.skip()  # the total counts the files actually parsed
            else:
                self.progress.advance()

    def _accept(self, outcome: FileResult | Scanned, *, first: bool) -> None:
        """Take one scan outcome (a ``FileResult``: its worker crashed or timed out)."""
        if isinstance(outcome, FileResult):
            self.results[outcome.path] = outcome
            self._emit(outcome.path)
            return
        shown = outcome.result.path
        self.results[shown] = outcome.result
        if first:
            self.memo.scanned(shown, outcome)
        if not outcome.parsed:
            return  # a later round may still parse it
        self.stats["shared" if outcome.shared else "parsed"] += 1
        self.scanned[shown] = outcome
        if outcome.pending:
            self.queries[shown] = outcome.queries
            self.holders[shown] = outcome.holder
            self.answered[shown] = None
        else:
            self._emit(shown)

    # -- index, rounds, finalize, commit ----------------------------------------------

    def _settle(self, scratch: Path) -> None:
        # Imported here: a run none of whose files spells a trigger word needs no
        # index (a tenth of such a run's start).
        from codemods.analysis.index import ProjectIndex

        seen_words = set(self.job.triggers)
        index = ProjectIndex.build(self._facts(), self.job.index_scope)
        index_file: str | None = None
        while True:
            local = self._outside(index)
            stale = [
                shown
                for shown, queries in self.queries.items()
                if shown not in local and not index.replays(queries)
            ]
            words = set(index.dynamic_triggers()) - seen_words
            seen_words |= words
            more = self._more_files(words, index.unresolved)
            if more:
                self._scan(more)
                index = ProjectIndex.build(self._facts(), self.job.index_scope)
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

    def _outside(self, index: ProjectIndex) -> set[str]:
        """Pending files the index leaves out, because another file claims their module
        name too: their result with their own facts is their final one."""
        return {
            shown
            for shown in self.queries
            if (facts := self.scanned[shown].facts) is not None
            and facts.name in index.ambiguous
        }

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
                items.append((self.path(shown), shown, self._task(shown, force=True)))
            elif words:
                task = self._task(shown, words=tuple(sorted(words)))
                items.append((self.path(shown), shown, task))
        return items

    def _modules_defining(self, names: set[str]) -> set[str]:
        """Shown paths of the project files that would define ``names``."""
        if not names:
            return set()
        if self.modules is None:
            self.modules = {}
            for shown, path in sorted(self.paths.items()):
                self.modules.setdefault(module_name(path), shown)
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
                (self.path(shown), shown, task)
            )
        self.progress.expect(len(files), "writing" if commit else "finalizing")
        for outcome in self._pool(len(files)).run_pinned(by_pid, self.chunk):
            self.progress.advance()
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


def _prefiltered(outcome: FileResult | Scanned) -> bool:
    """Whether a worker's prefilter dropped the file (no parse, nothing to report)."""
    return (
        isinstance(outcome, Scanned)
        and not outcome.parsed
        and outcome.result.error is None
    )
