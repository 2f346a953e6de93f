"""A cold ``codemods check`` of a tree with all of its work in this process: profiled,
or (``--no-profile``) timed, for paired CPU comparisons.

    ulimit -s unlimited   # LibCST recurses once per nesting level (profiled runs)
    python benchmarks/profile_check.py /tmp/dense-500 /tmp/check.prof
    python -m pstats /tmp/check.prof     # then: sort cumulative, stats 60

    python benchmarks/profile_check.py /tmp/dense-500 --no-profile
    python benchmarks/profile_check.py /tmp/dense-500 --no-profile -- --select TG003
    python benchmarks/profile_check.py /tmp/dense-500 --no-profile --schedule 2

A run's files go to worker processes, or for a small run to a thread of its own. Here
the in-process pool is forced whatever the run's size, so that this process's CPU time
is all of the run's work (no forkserver, no workers: `/usr/bin/time` would miss
those). Profiled, the in-process thread is also replaced by a direct call, so that the
profiler of the main thread sees every file's work; with ``--no-profile`` the thread
stays (its big stack: no ``ulimit`` needed) and nothing else changes. Options after
``--`` go to ``codemods check`` (always run with ``--no-cache -q``).

With ``--schedule N``, each file's work is timed (CPU of its thread) and the pool's
hand-out to N workers replayed on those seconds (``schedule.py``): what -j N can gain
over -j 1 on this run, whatever else the machine is doing.

Prints on stderr the check's CPU seconds (user + system, of every thread of this
process, from the check's start: imports of LibCST and the codemods included, Python's
start and the command line's import not), its wall seconds, the whole process's CPU,
and the check's exit code; profiled, the profiler's overhead is in them.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from schedule import Done, report  # type: ignore[import-not-found,unused-ignore]

from codemods.cli import main as codemods_main
from codemods.engine import inline
from codemods.engine.work import RECURSION_LIMIT, work_of


class _Direct:
    """Stands for the in-process pool's thread: the work runs at once, here."""

    def __init__(self, target: Callable[[], None], name: str) -> None:
        target()

    def join(self, timeout: float | None = None) -> None:
        pass

    def is_alive(self) -> bool:
        return False


def _always_inline(get: Callable[..., Any]) -> Callable[..., Any]:
    def forced(self: inline.LazyPool, items: int) -> Any:
        self.inline = True
        return get(self, items)

    return forced


def _cpu() -> tuple[float, float]:
    """User and system CPU seconds of this process, every thread."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def _check(tree: str, check_args: list[str]) -> int:
    try:
        codemods_main(
            ["check", "--no-cache", "-q", *check_args, tree], standalone_mode=False
        )
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0


def _arguments() -> tuple[argparse.Namespace, list[str]]:
    """This script's arguments, and the options for ``check`` (after ``--``)."""
    argv = sys.argv[1:]
    ours, check_args = argv, []
    if "--" in argv:
        ours, check_args = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    parser = argparse.ArgumentParser(
        description="A cold check with all of its work in this process: profiled, or timed.",
        usage="%(prog)s TREE [OUTPUT] [--no-profile] [-- CHECK-OPTIONS...]",
    )
    parser.add_argument("tree")
    parser.add_argument("output", nargs="?", help="the profile's file (profiled runs)")
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="no cProfile: time the same run (CPU user+sys, wall)",
    )
    parser.add_argument(
        "--schedule",
        type=int,
        metavar="N",
        help="time each file's work and replay the pool's hand-out to N workers",
    )
    parser.add_argument(
        "--records",
        metavar="FILE",
        help="with --schedule: also write each file's seconds here (JSON)",
    )
    arguments = parser.parse_args(ours)
    if arguments.no_profile == (arguments.output is not None):
        parser.error("give either OUTPUT (a profile's file) or --no-profile")
    return arguments, check_args


class _Timed:
    """Each file's work timed (CPU of the thread doing it), by batch of the pool."""

    def __init__(self) -> None:
        self.records: list[Done] = []
        self.batch, self.depth = 0, 0

    def install(self) -> None:
        timed = self

        def timed_work_of(make_work: Any, payload: Any) -> Callable[..., Any]:
            work = work_of(make_work, payload)

            def call(*item: Any) -> Any:
                started = time.thread_time()
                try:
                    return work(*item)
                finally:
                    kind = type(item[2]).__name__ if len(item) > 2 else "Scan"
                    seconds = time.thread_time() - started
                    timed.records.append(Done(timed.batch, kind, item[1], seconds))

            return call

        inline.work_of = timed_work_of  # type: ignore[attr-defined]
        for name in ("run", "run_pinned"):
            setattr(
                inline.InlinePool, name, self._counted(getattr(inline.InlinePool, name))
            )

    def _counted(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def counted(pool: Any, *args: Any) -> Any:
            self.depth += 1
            if self.depth == 1:
                self.batch += 1
            try:
                yield from method(pool, *args)
            finally:
                self.depth -= 1

        return counted


def main() -> None:
    arguments, check_args = _arguments()
    timed = None
    if arguments.schedule is not None:
        timed = _Timed()
        timed.install()
    sys.setrecursionlimit(RECURSION_LIMIT)
    inline.LazyPool.get = _always_inline(inline.LazyPool.get)  # type: ignore[method-assign]
    profile = None
    if not arguments.no_profile:
        inline.big_stack_thread = _Direct  # type: ignore[attr-defined,assignment]
        profile = cProfile.Profile()
    user, system = _cpu()
    started = time.perf_counter()
    if profile is not None:
        profile.enable()
    code = _check(arguments.tree, check_args)
    if profile is not None:
        profile.disable()
    wall = time.perf_counter() - started
    user_after, system_after = _cpu()
    run_user, run_system = user_after - user, system_after - system
    print(
        f"cpu {run_user + run_system:.2f} s (user {run_user:.2f} + sys"
        f" {run_system:.2f}), wall {wall:.2f} s; whole process cpu"
        f" {user_after + system_after:.2f} s; exit code {code}",
        file=sys.stderr,
    )
    if profile is not None:
        profile.dump_stats(arguments.output)
    if timed is not None:
        # As ``LazyPool.get`` sizes it, by the first batch.
        first = sum(1 for done in timed.records if done.batch == 1)
        chunk = max(1, min(inline.CHUNK, first // (arguments.schedule * 4)))
        cpu = run_user + run_system
        if arguments.records is not None:
            with open(arguments.records, "w") as handle:
                rows = [dataclasses.astuple(done) for done in timed.records]
                json.dump({"cpu": cpu, "chunk": chunk, "records": rows}, handle)
        print(
            report(timed.records, arguments.schedule, chunk, cpu, arguments.tree),
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
