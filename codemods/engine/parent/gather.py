"""``codemods index``: the project index's facts of a whole tree, for the shards.

The run of a shard without ``--index``, for the files of no shard: every candidate is
scanned for its facts only (no codemod runs, nothing is reported or written), and the
rounds follow the index's trigger words until no new file spells one. Never prints.
"""

from __future__ import annotations

from codemods.engine.discovery import discover
from codemods.engine.inline import LazyPool
from codemods.engine.job import Job
from codemods.engine.parent.phases import WORKER, Phases
from codemods.engine.parent.runner import Request, worker_count
from codemods.engine.parent.shared_index import SharedIndex
from codemods.engine.pool import Pool


def gather(request: Request) -> SharedIndex:
    """The facts and content hashes of the files of ``request``'s paths."""
    job = Job(request.settings, prefilter=request.prefilter, stamp=True)
    found = discover(request.paths, request.settings)
    # With no index codemod selected, a shard reads no other shard's file.
    items = found.items if job.uses_index else []
    workers, timeout = worker_count(request), request.file_timeout
    with LazyPool(workers, WORKER, job, timeout, factory=Pool) as pool:
        # Every file is another shard's: facts only, and the rounds always run.
        phases = Phases(pool, job, None, own=lambda _: False)
        phases.run(items)
    memo = phases.memo
    return SharedIndex.of(request.settings, phases.scanned, memo.stamps, memo.clean)
