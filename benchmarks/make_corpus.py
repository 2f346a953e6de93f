"""Build an N-file benchmark tree, copies of one set of sources in numbered folders
until N Python files exist. Two kinds:

    python benchmarks/make_corpus.py 20000 /tmp/corpus-20000          # sparse
    python benchmarks/make_corpus.py 500 /tmp/dense-500 --dense        # dense

The sparse tree copies this machine's standard library and the bundled legacy app:
about 3 % of its files concern a codemod. The dense tree copies the bundled legacy
and realistic apps and the real-world harness's projects (public asyncio services,
unpacked by `python -m benchmarks.realworld --fetch-only`, which downloads them once),
as a real asyncio service is: most of its files spawn tasks, start services or hold
buffers.

Build it outside any git checkout: every tool measured obeys the .gitignore files of
the repository around it (this project's ignores `benchmarks/corpus*/`).

The tree also gets a `.libcst.codemod.yaml`, so `python -m libcst.tool codemod` can run
this project's codemods on it for comparison.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LEGACY_APP = REPO / "fixtures" / "legacy_app"
REALISTIC_APP = REPO / "fixtures" / "realistic_app"
SKIPPED_DIRS = {"site-packages", "__pycache__", "idlelib", "lib2to3"}

LIBCST_CONFIG = """\
generated_code_marker: '@generated'
formatter: ['true']
blacklist_patterns: []
modules:
- 'codemods.commands'
repo_root: '.'
"""


def _files(root: Path, name: str) -> list[tuple[Path, Path]]:
    """(file, its path in a copy) for each Python file under ``root``, in ``name``."""
    return [
        (path, Path(name) / path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if not SKIPPED_DIRS & set(path.relative_to(root).parts)
    ]


def _bundled(app: Path) -> list[tuple[Path, Path]]:
    if not app.is_dir():
        raise SystemExit(f"{app} is missing: run from a checkout of the project")
    return _files(app, app.name)


def sources() -> list[tuple[Path, Path]]:
    """(file, path relative to its copy) for one copy of stdlib + legacy app."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return _files(stdlib, "stdlib") + _bundled(LEGACY_APP)


def realworld_projects() -> list[Path]:
    """The real-world harness's projects, unpacked (downloaded the first time)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.realworld", "--fetch-only"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [Path(line) for line in done.stdout.splitlines() if line.strip()]


def dense_sources() -> list[tuple[Path, Path]]:
    """(file, path relative to its copy) for one copy of the bundled apps and every
    real-world project, the apps first, then the projects in the harness's order."""
    found = _bundled(LEGACY_APP) + _bundled(REALISTIC_APP)
    for project in realworld_projects():
        found += _files(project, project.name)
    return found


def plan(total: int, one_copy: list[tuple[Path, Path]]) -> Iterator[tuple[Path, Path]]:
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
    parser.add_argument(
        "files", type=int, help="number of Python files (e.g. 2000, 20000)"
    )
    parser.add_argument(
        "target", type=Path, help="directory to create (replaced if present)"
    )
    parser.add_argument(
        "--dense",
        action="store_true",
        help="copy the bundled apps and the real-world projects instead of "
        "the standard library",
    )
    args = parser.parse_args()
    one_copy = dense_sources() if args.dense else sources()
    if args.target.exists():
        shutil.rmtree(args.target)
    args.target.mkdir(parents=True)
    for source, relative in plan(args.files, one_copy):
        destination = args.target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    (args.target / ".libcst.codemod.yaml").write_text(LIBCST_CONFIG)
    size = sum(p.stat().st_size for p in args.target.rglob("*.py"))
    print(f"{args.files} files, {size / 1e6:.0f} MB in {args.target}")


if __name__ == "__main__":
    main()
