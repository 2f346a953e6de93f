"""A whole run: discover files, process them in the pool, summarise. Never prints.

A run the cache answers whole ends with the lookup: it does not even import the pool,
nor the phases below (``scheduling``) that every other run goes through.

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

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from codemods.core.results import Summary
from codemods.core.settings import Settings
from codemods.engine.cache import Cache
from codemods.engine.discovery import discover
from codemods.engine.job import Job
from codemods.engine.parent.memo import Memo
from codemods.engine.reporting.progress import SILENT, Progress
from codemods.rules import registry

if TYPE_CHECKING:  # a run the cache answers whole imports neither (see `run`)
    from codemods.engine.parent.phases import OnResult
    from codemods.engine.parent.shared_index import SharedIndex
    from codemods.engine.shard import Shard  # made by the session (`--shard`)

Mode = Literal["check", "run"]


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
    # Internal (robustness tests): False parses every file, see ``Job.prefilter``.
    prefilter: bool = True
    # The results cache directory (None: no cache), see ``cache``.
    cache_dir: Path | None = None
    # Only this shard's files are reported (and written).
    shard: Shard | None = None
    # The other shards' facts, from ``codemods index`` (``--index``).
    shared: SharedIndex | None = None


def run(
    request: Request,
    *,
    on_result: OnResult | None = None,
    progress: Progress = SILENT,
) -> Summary:
    """Process every discovered file; ``on_result`` sees each final result once, and
    ``progress`` counts the files the workers process."""
    found = discover(request.paths, request.settings)
    job = Job(
        request.settings,
        want_diff=request.want_diff,
        write=request.write,
        safe_only=request.safe_only,
        prefilter=request.prefilter,
    )
    cache = _cache(request, job)
    if cache is not None:
        job = replace(job, stamp=True)
    items = found.items
    own = _owner(request)
    if own is not None and not job.uses_index:
        # Nothing crosses files: the other shards' files are not even read.
        items, own = [item for item in items if own(Path(item[0]))], None
    memo = Memo(cache, job)
    served = memo.lookup(items, found.modules)
    if own is None and len(served) == len(items):
        # Warm and unchanged: no pool, no index, not even their imports.
        for result in served.values():
            if on_result is not None:
                on_result(result)
        memo.save(served, {shown: path for path, shown in items})
        return Summary.of(
            tuple(served.values()),
            mode=request.mode,
            skipped=found.skipped,
            stats={"cached": len(served)},
        )
    # Imported only now: a run the cache answers whole starts no pool, nor imports it.
    from codemods.engine.inline import LazyPool
    from codemods.engine.parent.phases import WORKER, Phases

    shared = None
    if request.shared is not None:
        # Imported only now: a run without a shared index needs none of it.
        from codemods.engine.parent.shared_index import Foreign

        shared = Foreign(request.shared, job)
    workers, timeout = worker_count(request), request.file_timeout
    with LazyPool(workers, WORKER, job, timeout) as pool:
        phases = Phases(
            pool, job, on_result, memo=memo, own=own, shared=shared, progress=progress
        )
        results = phases.run(items, served)
    return Summary.of(
        results, mode=request.mode, skipped=found.skipped, stats=dict(phases.stats)
    )


def _cache(request: Request, job: Job) -> Cache | None:
    if request.cache_dir is None or not request.prefilter:
        return None
    if request.shard is not None and job.uses_index:
        return None  # a shard's results lean on files it does not own
    digest = registry.digest(request.settings)
    return Cache.for_run(request.cache_dir, digest, safe_only=request.safe_only)


def _owner(request: Request) -> Callable[[Path], bool] | None:
    shard = request.shard
    if shard is None:
        return None
    root = Path(request.settings.root)
    return lambda path: shard.owns(path, root)


def worker_count(request: Request) -> int:
    wanted = request.jobs if request.jobs is not None else request.settings.jobs
    return wanted if wanted else cpu_count()


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
