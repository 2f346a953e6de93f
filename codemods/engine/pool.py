"""Worker processes for per-file work: started once, fed in chunks, never trusted.

LibCST's native parser can crash the process (segfault) or run for minutes on
pathological but valid code. So files are only ever parsed in worker processes, each
working in a thread with a large stack; a worker that dies or overruns the per-file time
limit is replaced, the file it was on gets an error, and the rest of its chunk is retried.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from codemods.core.results import FileError, FileResult
from codemods.engine.work import (
    RECURSION_LIMIT,
    STACK_SIZE,
    Item,
    MakeWork,
    Work,
    big_stack_thread,
    work_of,
)
from codemods.engine.writer import remove_temporaries

__all__ = [
    "RECURSION_LIMIT",
    "STACK_SIZE",
    "Item",
    "MakeWork",
    "Pool",
    "Work",
    "work_of",
]

WATCH_INTERVAL = 0.25


@dataclass
class _Worker:
    process: Any
    conn: Connection
    # Index (in its current chunk) of the file being processed, and when it began.
    current: Synchronized[int]
    started: Synchronized[float]
    chunks: deque[list[Item]] = field(default_factory=deque)


def _context() -> Any:
    if sys.platform == "linux":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["codemods.engine.pool", "libcst"])
        return context
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def _safe_path() -> Iterator[None]:
    """Start helper interpreters with ``PYTHONSAFEPATH`` set.

    The forkserver, its resource tracker (and spawned workers elsewhere) boot with
    ``python -c``, which puts the working directory first on ``sys.path``: run inside
    the target tree, a ``pickle.py`` or ``socket.py`` there would be imported and run.
    """
    saved = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = saved


def _chunked(items: Sequence[Item], size: int) -> deque[list[Item]]:
    return deque(list(items[i : i + size]) for i in range(0, len(items), size))


class Pool:
    """Runs ``make_work(payload)(*item)`` for many items across ``jobs`` processes."""

    def __init__(
        self,
        jobs: int,
        make_work: MakeWork,
        payload: Any,
        *,
        file_timeout: float = 120.0,
    ) -> None:
        self._context = _context()
        self._make_work = make_work
        self._payload = payload
        self._timeout = file_timeout
        self._workers = [self._spawn() for _ in range(max(1, jobs))]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        current = self._context.Value("i", -1, lock=False)
        started = self._context.Value("d", 0.0, lock=False)
        process = self._context.Process(
            target=_serve,
            args=(child, self._make_work, self._payload, current, started, os.getpid()),
            daemon=True,
        )
        with _safe_path():
            process.start()
        child.close()
        return _Worker(process, parent, current, started)

    def run(self, items: Sequence[Item], chunk_size: int) -> Iterator[Any]:
        """Yield one result per item, in completion order: what the work function
        returned, or a ``FileResult`` error when its worker crashed or timed out."""
        yield from self._drive(_chunked(items, chunk_size), {})

    def run_pinned(
        self, items_by_pid: Mapping[int, Sequence[Item]], chunk_size: int
    ) -> Iterator[Any]:
        """Like :meth:`run`, but each item goes to the worker process ``items_by_pid``
        names, which holds state for it (a parsed tree). Items whose worker is gone
        (replaced after a crash) go to any worker, whose work function must cope."""
        own: dict[int, deque[list[Item]]] = {}
        shared: deque[list[Item]] = deque()
        pids = {w.process.pid: index for index, w in enumerate(self._workers)}
        for pid, items in items_by_pid.items():
            chunks = _chunked(items, chunk_size)
            if pid in pids:
                own[pids[pid]] = chunks
            else:
                shared.extend(chunks)
        yield from self._drive(shared, own)

    def _drive(
        self, pending: deque[list[Item]], own: dict[int, deque[list[Item]]]
    ) -> Iterator[Any]:
        outstanding = sum(len(c) for c in pending) + sum(
            len(c) for chunks in own.values() for c in chunks
        )
        while outstanding:
            for index in range(len(self._workers)):
                self._feed(index, own.get(index) or pending)
            ready = multiprocessing.connection.wait(
                [w.conn for w in self._workers]
                + [w.process.sentinel for w in self._workers],
                timeout=WATCH_INTERVAL,
            )
            for index, worker in enumerate(self._workers):
                if worker.conn in ready:
                    try:
                        results: list[Any] = worker.conn.recv()
                    except (EOFError, OSError):
                        results = []
                    if results:
                        worker.chunks.popleft()
                        outstanding -= len(results)
                        yield from results
                        continue
                failure = self._failure(worker, worker.process.sentinel in ready)
                if failure is not None:
                    outstanding -= 1
                    yield self._replace(index, failure, pending)

    def _feed(self, index: int, pending: deque[list[Item]]) -> None:
        """Keep two chunks queued at worker ``index`` (one working, one waiting)."""
        worker = self._workers[index]
        while pending and len(worker.chunks) < 2:
            chunk = pending.popleft()
            try:
                worker.conn.send(chunk)
            except OSError:
                pending.appendleft(chunk)
                if worker.chunks:
                    return  # it died working: the watch loop blames the right file
                # It died while idle, so nothing is lost: start a fresh one.
                worker.process.kill()
                worker.process.join(5)
                self._workers[index] = worker = self._spawn()
                continue
            worker.chunks.append(chunk)

    def _failure(self, worker: _Worker, died: bool) -> str | None:
        """Why the worker must be replaced, if it must."""
        if not worker.chunks:
            return None
        if died or not worker.process.is_alive():
            worker.process.join(1)
            code = worker.process.exitcode
            signal_note = (
                f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            )
            return f"worker process crashed ({signal_note}) while processing this file"
        started = worker.started.value
        if (
            worker.current.value >= 0
            and started
            and time.monotonic() - started > self._timeout
        ):
            return f"timed out after {self._timeout:g} s; skipped"
        return None

    def _replace(
        self, index: int, reason: str, pending: deque[list[Item]]
    ) -> FileResult:
        """Retire worker ``index``: blame its current file, requeue the rest one by one."""
        worker = self._workers[index]
        culprit = max(worker.current.value, 0)
        chunk = worker.chunks.popleft()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        # Files after the culprit in its chunk, then any chunk queued behind it, retried
        # one file at a time so one bad file costs no other file its result.
        retry = chunk[culprit + 1 :] + [item for c in worker.chunks for item in c]
        pending.extendleft([item] for item in reversed(retry))
        # Files before the culprit were done but their results died with the worker.
        pending.extendleft([item] for item in reversed(chunk[:culprit]))
        self._workers[index] = self._spawn()
        shown = chunk[culprit][1]
        return FileResult(shown, error=FileError("internal", reason))

    def close(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self._workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
            worker.conn.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is not None:
            # SIGTERM, not SIGKILL: a worker removes the temporary file it is writing.
            for worker in self._workers:
                worker.process.terminate()
        self.close()


def _serve(
    conn: Connection,
    make_work: MakeWork,
    payload: Any,
    current: Synchronized[int],
    started: Synchronized[float],
    main_pid: int,
) -> None:
    """Worker entry point: process chunks in a big-stack thread until told to stop."""
    _exit_with(main_pid)
    # Ctrl-C reaches the whole process group; only the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    work = work_of(make_work, payload)
    big_stack_thread(
        lambda: _loop(conn, work, current, started), "codemods-worker"
    ).join()


def _exit_with(main_pid: int) -> None:
    """Exit as soon as the run's main process does, however it dies.

    A worker belongs to the forkserver, which outlives a main process killed alone
    (SIGKILL): the workers themselves keep the forkserver's liveness pipe open. Left
    alone, a worker would finish its chunk and write files for a run nobody waits for.
    Linux (``pidfd_open``) only; elsewhere a worker stops at its next chunk.
    """
    if not hasattr(os, "pidfd_open"):
        return
    try:
        watched = os.pidfd_open(main_pid)
    except OSError:  # already gone
        os._exit(1)

    def watch() -> None:
        select.select([watched], [], [])  # readable once the process has exited
        remove_temporaries()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="main-watch").start()


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM (the parent interrupted): no file half-made, then exit at once."""
    remove_temporaries()
    os._exit(128 + signum)


def _loop(
    conn: Connection,
    work: Work,
    current: Synchronized[int],
    started: Synchronized[float],
) -> None:
    while True:
        try:
            chunk: list[Item] | None = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if chunk is None:
            return
        results = []
        for position, item in enumerate(chunk):
            started.value = time.monotonic()
            current.value = position
            results.append(work(*item))
        current.value = -1
        started.value = 0.0
        conn.send(results)
