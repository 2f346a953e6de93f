"""The floor a cold check is compared with: a bare LibCST parse of every candidate file.

    python benchmarks/parse_floor.py TREE [-j 2]

The candidates are the files `codemods check` would find in TREE (the same discovery,
the same `.gitignore` rules) whose bytes spell a trigger word of the selected codemods:
the files our check may hand to LibCST. Each is parsed with `libcst.parse_module` on
`-j` processes; nothing else is done (no metadata, no codemod). Prints the count of
files, candidates and their bytes.
"""

from __future__ import annotations

import argparse
import multiprocessing
from pathlib import Path

import libcst

from codemods import config
from codemods.engine.discovery import discover
from codemods.engine.job import Job


def candidates(tree: Path) -> tuple[int, list[str]]:
    """How many files the check finds in ``tree``, and the candidates among them."""
    settings = config.load([tree])
    found = discover([tree], settings)
    triggers = Job(settings).triggers
    chosen = []
    for path in found.paths:
        raw = Path(path).read_bytes()
        if any(word in raw for word in triggers):
            chosen.append(path)
    return len(found.paths), chosen


def parse(path: str) -> int:
    """Parse one file; its size (a file LibCST rejects counts too: it was read)."""
    raw = Path(path).read_bytes()
    try:
        libcst.parse_module(raw)
    except libcst.ParserSyntaxError:
        pass
    return len(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    files, chosen = candidates(args.tree.resolve())
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            sizes = pool.map(parse, chosen, chunksize=4)
    else:
        sizes = [parse(path) for path in chosen]
    print(f"{files} files, {len(chosen)} candidates ({sum(sizes) / 1e6:.1f} MB) parsed")


if __name__ == "__main__":
    main()
