"""Every ``ModuleFacts`` a cold check collects, dumped in order: the proof that a
change to the facts' collection (``analysis/collect.py`` and its helpers) keeps them.

    python benchmarks/dump_facts.py TREE OUTPUT [-- CHECK-OPTIONS...]
    PYTHONPATH=/work/main python benchmarks/dump_facts.py /tmp/dense-500 /tmp/main.facts
    python benchmarks/dump_facts.py /tmp/dense-500 /tmp/mine.facts
    cmp /tmp/main.facts /tmp/mine.facts

Runs ``codemods check --no-cache --format json --target-version 3.11 .`` from inside
TREE with all of its work in this process (the in-process pool forced, as
``profile_check.py`` does), records the ``repr`` of every ``ModuleFacts`` that
``collect_facts`` returns (a file parsed in several rounds or texts gives several), and
writes them one a line, sorted, to OUTPUT. The facts are frozen dataclasses of tuples,
so their ``repr`` is stable across processes. The check's report is discarded. Prints
on stderr the CPU seconds spent in ``collect_facts`` and in reading a text's project
names (``reach._names_in``), each call timed in its thread.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from typing import Any

from profile_check import (  # type: ignore[import-not-found,unused-ignore]
    _always_inline,
)

from codemods.analysis import collect
from codemods.cli import main as codemods_main
from codemods.engine import inline
from codemods.engine.work import RECURSION_LIMIT
from codemods.engine.worker import stages
from codemods.rules import indexed
from codemods.rules.unawaited_coroutine import reach


def _timed(function: Any, seconds: list[float]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds.append(time.thread_time() - started)

    return timed


def _recording(found: list[str], seconds: list[float]) -> Any:
    collect_facts = collect.collect_facts

    def recorded(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        facts = collect_facts(*args, **kwargs)
        seconds.append(time.thread_time() - started)
        found.append(repr(facts))
        return facts

    return recorded


def main() -> None:
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    ours, check_args = argv[:cut], argv[cut + 1 :]
    if len(ours) != 2:
        sys.exit("usage: dump_facts.py TREE OUTPUT [-- CHECK-OPTIONS...]")
    tree, output = ours[0], os.path.abspath(ours[1])
    found: list[str] = []
    seconds: list[float] = []
    recorded = _recording(found, seconds)
    stages.collect_facts = recorded  # type: ignore[attr-defined]
    indexed.collect_facts = recorded  # type: ignore[attr-defined]
    # The prefilter's and the elision's project names, when not known already.
    names_seconds: list[float] = []
    reach._names_in = _timed(reach._names_in, names_seconds)
    sys.setrecursionlimit(RECURSION_LIMIT)
    inline.LazyPool.get = _always_inline(inline.LazyPool.get)  # type: ignore[method-assign]
    os.chdir(tree)
    options = ["--no-cache", "-q", "--format", "json", "--target-version", "3.11"]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            codemods_main(["check", *options, *check_args, "."], standalone_mode=False)
        except SystemExit:
            pass
    with open(output, "w", encoding="utf-8") as handle:
        handle.writelines(f"{line}\n" for line in sorted(found))
    print(
        f"{len(found)} facts written to {output}; CPU (each call's thread's):"
        f" collect_facts {sum(seconds):.2f} s, project names"
        f" {sum(names_seconds):.2f} s ({len(names_seconds)} texts)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
