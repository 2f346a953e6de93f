"""Build an N-file benchmark tree from this machine's standard library and the bundled
legacy application, copied into numbered folders until N Python files exist.

    python benchmarks/make_corpus.py 20000 /tmp/corpus-20000

Build it outside any git checkout: every tool measured obeys the .gitignore files of
the repository around it (this project's ignores `benchmarks/corpus*/`).

The tree also gets a `.libcst.codemod.yaml`, so `python -m libcst.tool codemod` can run
this project's codemods on it for comparison.
"""

from __future__ import annotations

import argparse
import shutil
import sysconfig
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEGACY_APP = REPO / "fixtures" / "legacy_app"
SKIPPED_DIRS = {"site-packages", "__pycache__", "idlelib", "lib2to3"}

LIBCST_CONFIG = """\
generated_code_marker: '@generated'
formatter: ['true']
blacklist_patterns: []
modules:
- 'codemods.rules'
repo_root: '.'
"""


def sources() -> list[tuple[Path, Path]]:
    """(file, path relative to its copy) for one copy of stdlib + legacy app."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    found = [
        (path, Path("stdlib") / path.relative_to(stdlib))
        for path in sorted(stdlib.rglob("*.py"))
        if not SKIPPED_DIRS & set(path.relative_to(stdlib).parts)
    ]
    if not LEGACY_APP.is_dir():
        raise SystemExit(f"{LEGACY_APP} is missing: run from a checkout of the project")
    found += [
        (path, Path("legacy_app") / path.relative_to(LEGACY_APP))
        for path in sorted(LEGACY_APP.rglob("*.py"))
    ]
    return found


def plan(total: int) -> Iterator[tuple[Path, Path]]:
    one_copy = sources()
    made = 0
    copy = 0
    while made < total:
        for source, relative in one_copy:
            if made == total:
                return
            yield source, Path(f"copy_{copy:03d}") / relative
            made += 1
        copy += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=int, help="number of Python files (e.g. 2000, 20000)")
    parser.add_argument("target", type=Path, help="directory to create (replaced if present)")
    args = parser.parse_args()
    if args.target.exists():
        shutil.rmtree(args.target)
    args.target.mkdir(parents=True)
    for source, relative in plan(args.files):
        destination = args.target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    (args.target / ".libcst.codemod.yaml").write_text(LIBCST_CONFIG)
    size = sum(p.stat().st_size for p in args.target.rglob("*.py"))
    print(f"{args.files} files, {size / 1e6:.0f} MB in {args.target}")


if __name__ == "__main__":
    main()
