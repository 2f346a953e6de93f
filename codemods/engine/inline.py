"""Which pool a run gets: started lazily, and for a small run none at all.

:class:`LazyPool` starts the worker processes (``pool.py``) on first use only, so a
run whose files the cache or the parent's prefilter answers starts none. Starting them
costs more than a few small candidates: the forkserver, LibCST's import in it, one
process per worker (about 0.3 s of a small repository's check). So a run with few
small candidates (``INLINE_FILES``, ``INLINE_BYTES``) does its work here, in an
:class:`InlinePool`, each file parsed once, with the answers the pool would give: the
same work function (``work_of``), a worker's stack and recursion limit, an exception
or a file over the time limit turned into that file's error. What it cannot give is
the pool's isolation from a crash of LibCST's native parser, which is why only small
inputs come here; the time limit still holds: a file that overruns it leaves its
thread behind (a daemon, never waited for) and a fresh work function for the rest.
Nothing here imports ``pool.py`` before a pool is started.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from codemods.core.results import FileError, FileResult
from codemods.engine.work import Item, MakeWork, Work, big_stack_thread, work_of

if TYPE_CHECKING:  # started lazily: a small run does not import it
    from codemods.engine.pool import Pool

# Most candidates, and most bytes of them, a run does in this process. The bytes
# bound the work (LibCST's per candidate); the count hardly (a candidate the ``ast``
# prefilter drops costs milliseconds), so it is issue 22's small repository, 50 files.
INLINE_FILES = 50
INLINE_BYTES = 128 * 1024
# Most files a chunk sent to a worker process holds. Four, not eight: the files a
# worker scans are the ones it finalizes (it keeps their trees), and with chunks of
# eight a project's pending files sat in one worker's chunks, so that the finalize ran
# on one core (the dense 500-file tree, replayed with ``profile_check.py --schedule
# 2``: -j 2 1.83x -j 1 with eight, 1.94x with four, 1.95x the most its parent allows).
CHUNK = 4


def is_small(sizes: Sequence[int]) -> bool:
    """Whether candidates of these sizes are done in this process, without a pool."""
    return len(sizes) <= INLINE_FILES and sum(sizes) <= INLINE_BYTES


class InlinePool:
    """:class:`pool.Pool`'s interface, one worker: this process."""

    def __init__(
        self,
        jobs: int,
        make_work: MakeWork,
        payload: Any,
        *,
        file_timeout: float = 120.0,
    ) -> None:
        self._make_work, self._payload = make_work, payload
        self._timeout = file_timeout
        self._work: Work | None = None

    def run(self, items: Sequence[Item], chunk_size: int) -> Iterator[Any]:
        for item in items:
            yield self._call(item)

    def run_pinned(
        self, items_by_pid: Mapping[int, Sequence[Item]], chunk_size: int
    ) -> Iterator[Any]:
        """Every kept tree is this process's (the holder is its pid)."""
        for items in items_by_pid.values():
            yield from self.run(items, chunk_size)

    def _call(self, item: Item) -> Any:
        if self._work is None:
            self._work = work_of(self._make_work, self._payload)
        work = self._work
        outcome: list[Any] = []

        def call() -> None:
            try:
                outcome.append(work(*item))
            except Exception as exc:  # a worker process would have died of it
                reason = f"internal error while processing this file: {exc!r}"
                outcome.append(FileResult(item[1], error=FileError("internal", reason)))

        thread = big_stack_thread(call, "codemods-inline")
        thread.join(self._timeout)
        if outcome:
            return outcome[0]
        # Left running, or stopped without a result: a fresh work function (without
        # the kept trees) for the rest.
        self._work = None
        reason = (
            f"timed out after {self._timeout:g} s; skipped"
            if thread.is_alive()
            else "the work stopped while processing this file"
        )
        return FileResult(item[1], error=FileError("internal", reason))

    def close(self) -> None:
        pass

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class LazyPool:
    """A :class:`pool.Pool` started on first use only, sized by the first batch of
    work; or, when the run has found its candidates few and small (``inline``), an
    :class:`InlinePool`. ``factory`` stands in for ``Pool`` (tests)."""

    def __init__(
        self,
        jobs: int,
        make_work: MakeWork,
        payload: Any,
        file_timeout: float = 120.0,
        *,
        factory: Callable[..., Pool] | None = None,
    ) -> None:
        self.jobs, self.make_work, self.payload = jobs, make_work, payload
        self.file_timeout = file_timeout
        self.factory = factory
        self.pool: Pool | InlinePool | None = None
        self.chunk = 1
        # Set by the run before its first batch (``is_small``).
        self.inline = False

    def get(self, items: int) -> Pool | InlinePool:
        if self.pool is None and self.inline:
            self.pool = InlinePool(
                1, self.make_work, self.payload, file_timeout=self.file_timeout
            )
        if self.pool is None:
            workers = max(1, min(self.jobs, items))
            # Small chunks: candidates cluster (a test_asyncio/ folder), and a worker
            # whose chunk holds them all would leave the others idle.
            self.chunk = max(1, min(CHUNK, items // (workers * 4)))
            self.pool = self._factory()(
                workers, self.make_work, self.payload, file_timeout=self.file_timeout
            )
        return self.pool

    def _factory(self) -> Callable[..., Pool]:
        if self.factory is not None:
            return self.factory
        from codemods.engine import pool  # the first run that needs worker processes

        return pool.Pool

    def __enter__(self) -> LazyPool:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.pool is not None:
            self.pool.__exit__(*exc_info)
