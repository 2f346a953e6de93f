"""How a run's work would spread over N worker processes: a replay of the pool's
hand-out (``engine/pool.py``) on the CPU seconds each file took in one process
(``profile_check.py --schedule N``), without the noise of a shared machine.

The pool sends each worker chunks of consecutive files (``LazyPool.chunk``) and keeps
two queued at each (one working, one waiting); a batch (the scan, a later round, a
finalize) ends when its last file is done, and between batches the parent works alone
(the index, the rounds' choices). The replay gives, per batch, the longest worker's
seconds against the total, and the run's -j 1 / -j N ratio that the hand-out allows.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Done:
    """One file's work in a batch: its task's kind, the file, its CPU seconds."""

    batch: int
    kind: str
    shown: str
    seconds: float


def chunked(items: Sequence[Done], size: int, workers: int = 0) -> deque[list[Done]]:
    """Chunks of ``size`` files; with ``workers``, smaller towards the end (a quarter
    of what is left per worker), as ``pool.chunked`` hands them out."""
    chunks: deque[list[Done]] = deque()
    start = 0
    while start < len(items):
        left = len(items) - start
        step = size if not workers else max(1, min(size, left // (workers * 4)))
        chunks.append(list(items[start : start + step]))
        start += step
    return chunks


def makespan(
    pending: deque[list[Done]],
    workers: int,
    own: dict[int, deque[list[Done]]] | None = None,
    placed: dict[str, int] | None = None,
) -> float:
    """When the last worker is done, handing chunks out as ``Pool._drive`` does (two
    queued at each, fed after every chunk that comes back); ``placed`` records which
    worker did each file."""
    own = own or {}
    queued: list[deque[list[Done]]] = [deque() for _ in range(workers)]
    ends = [0.0] * workers  # when each worker's current chunk is done

    def seconds(chunk: list[Done]) -> float:
        return sum(done.seconds for done in chunk)

    def feed(now: float) -> None:
        for index in range(workers):
            source = own.get(index) or pending
            while source and len(queued[index]) < 2:
                chunk = source.popleft()
                if not queued[index]:
                    ends[index] = now + seconds(chunk)
                queued[index].append(chunk)
                if placed is not None:
                    placed.update((done.shown, index) for done in chunk)

    feed(0.0)
    now = 0.0
    while any(queued):
        index = min((i for i in range(workers) if queued[i]), key=ends.__getitem__)
        now = ends[index]
        queued[index].popleft()
        if queued[index]:
            ends[index] = now + seconds(queued[index][0])
        feed(now)
    return now


def replay(
    records: Sequence[Done],
    workers: int,
    chunk: int,
    serial: float,
    order: str = "path",
    sizes: dict[str, int] | None = None,
    guided: bool = False,
) -> tuple[float, float, list[tuple[int, int, float, float]]]:
    """(-j 1 seconds, -j N seconds, per batch: (batch, files, total, longest))."""
    placed: dict[str, int] = {}
    tail = workers if guided else 0
    batches: dict[int, list[Done]] = {}
    for done in records:
        batches.setdefault(done.batch, []).append(done)
    lines = []
    one = many = serial
    for batch, items in sorted(batches.items()):
        if order == "size" and sizes is not None:
            items = sorted(items, key=lambda d: -sizes.get(d.shown, 0))
        total = sum(done.seconds for done in items)
        if items[0].kind == "Finalize":
            own: dict[int, deque[list[Done]]] = {}
            shared = []
            for done in items:
                if done.shown in placed:
                    own.setdefault(placed[done.shown], deque()).extend(
                        chunked([done], 1)
                    )
                else:
                    shared.append(done)
            longest = makespan(chunked(shared, chunk, tail), workers, own)
        else:
            longest = makespan(chunked(items, chunk, tail), workers, placed=placed)
        lines.append((batch, len(items), total, longest))
        one += total
        many += longest
    return one, many, lines


def report(
    records: Sequence[Done], workers: int, chunk: int, cpu: float, tree: str
) -> str:
    serial = cpu - sum(done.seconds for done in records)
    sizes = {}
    for done in records:
        path = os.path.join(tree, done.shown)
        if os.path.exists(path):
            sizes[done.shown] = os.path.getsize(path)
        elif os.path.exists(done.shown):
            sizes[done.shown] = os.path.getsize(done.shown)
    out = [
        f"work in files {cpu - serial:.2f} s, the parent alone {serial:.2f} s "
        f"(of {cpu:.2f} s CPU)"
    ]
    one, many, lines = replay(records, workers, chunk, serial)
    for batch, files, total, longest in lines:
        out.append(
            f"  batch {batch}: {files} files, {total:.2f} s of work, longest of "
            f"{workers} workers {longest:.2f} s ({total / max(longest, 1e-9):.2f}x)"
        )
    out.append(f"as the pool hands out (chunks of {chunk}, in path order):")
    out.append(f"  -j 1 {one:.2f} s, -j {workers} {many:.2f} s: {one / many:.2f}x")
    for size in sorted({1, 2, 4, chunk}):
        for order in ("path", "size"):
            one, many, _ = replay(records, workers, size, serial, order, sizes)
            out.append(
                f"  chunks of {size}, {order} order: -j {workers} {many:.2f} s, "
                f"{one / many:.2f}x"
            )
    ideal = serial + (cpu - serial) / workers
    out.append(
        f"  every file's work split evenly: {(cpu) / ideal:.2f}x (the serial part)"
    )
    biggest = sorted(records, key=lambda d: -d.seconds)[:5]
    out.append(
        "  largest files: "
        + ", ".join(f"{d.shown} {d.seconds:.2f} s ({d.kind})" for d in biggest)
    )
    return "\n".join(out)
