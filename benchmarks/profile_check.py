"""Profile a cold ``codemods check`` of a tree with all of its work in this process.

    ulimit -s unlimited   # LibCST recurses once per nesting level
    python benchmarks/profile_check.py /tmp/dense-500 /tmp/check.prof
    python -m pstats /tmp/check.prof     # then: sort cumulative, stats 60

A run's files go to worker processes, or for a small run to a thread of its own, and
neither is seen by a profiler of the main thread. Here the in-process pool is forced
whatever the run's size, and its thread replaced by a direct call, so that one profile
sees every file's work. Prints the run's CPU seconds (the profiler's overhead
included) on stderr.
"""

from __future__ import annotations

import cProfile
import sys
import time
from collections.abc import Callable
from typing import Any

from codemods.cli import main as codemods_main
from codemods.engine import inline
from codemods.engine.work import RECURSION_LIMIT


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


def main() -> None:
    tree, output = sys.argv[1], sys.argv[2]
    sys.setrecursionlimit(RECURSION_LIMIT)
    inline.LazyPool.get = _always_inline(inline.LazyPool.get)  # type: ignore[method-assign]
    inline.big_stack_thread = _Direct  # type: ignore[assignment]
    started = time.process_time()
    profile = cProfile.Profile()
    profile.enable()
    try:
        codemods_main(["check", "--no-cache", "-q", tree], standalone_mode=False)
    except SystemExit:
        pass
    profile.disable()
    print(f"cpu {time.process_time() - started:.1f} s", file=sys.stderr)
    profile.dump_stats(output)


if __name__ == "__main__":
    main()
