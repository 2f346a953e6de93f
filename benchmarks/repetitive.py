"""Time `codemods run` on a highly repetitive file against a file as long whose lines
are all different (issue 25: line mapping was quadratic on the first).

    python benchmarks/repetitive.py --lines 16000 --runs 3

Each file is one module: the same filler line (or numbered ones) around a single
`asyncio.create_task(...)` whose result is discarded, so one codemod changes one line
and every line of the file goes through the line mapping. Prints the median wall time
of each (a whole `python -m codemods run --no-cache` process) and their ratio; a
linear mapping keeps the ratio near 1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "import asyncio\n\n\nasync def work() -> None:\n    pass\n\n\n"
DIRTY = "async def main() -> None:\n    asyncio.create_task(work())\n\n\n"


def module(lines: int, *, repetitive: bool) -> str:
    half = lines // 2
    filler = [
        "VALUE = 1\n" if repetitive else f"VALUE_{number} = {number}\n"
        for number in range(lines)
    ]
    return HEADER + "".join(filler[:half]) + DIRTY + "".join(filler[half:])


def timed_run(tree: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "codemods", "run", "--no-cache", "-j", "1", "."],
        cwd=tree,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=16_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    medians = {}
    with tempfile.TemporaryDirectory() as scratch:
        for kind in ("repetitive", "distinct"):
            tree = Path(scratch) / kind
            tree.mkdir()
            text = module(options.lines, repetitive=kind == "repetitive")
            (tree / "mod.py").write_text(text)
            medians[kind] = statistics.median(
                timed_run(tree) for _ in range(options.runs)
            )
            print(f"{kind:>10}: {medians[kind]:.2f} s (median of {options.runs})")
    ratio = medians["repetitive"] / medians["distinct"]
    print(f"repetitive / distinct: {ratio:.2f}")


if __name__ == "__main__":
    main()
