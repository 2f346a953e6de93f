"""Real code: the installed standard library through every codemod (issue 7.2).

A copy of the standard library's ``.py`` files is migrated with ``--write`` semantics,
all codemods selected, and every file parsed (the trigger prefilter off, so the parser
and codemods meet all of them, not only the candidates). Then:

- no file crashes the run: a file LibCST cannot parse or decode is reported as an error
  (counted by kind), never an internal error (a crash, a timeout, a codemod failure);
- every file not changed is byte-identical to the original;
- every changed file parses (LibCST, and CPython if the original did), and a second,
  normal run over the whole tree changes nothing.

A fixed sample of 32 files always runs; ``-m slow`` runs all of them (about 1,800
files) and prints the figures recorded in ``docs/robustness.md``.
"""

from __future__ import annotations

import ast
import shutil
import sysconfig
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
import pytest

from codemods.core.settings import Settings
from codemods.engine.job import Job
from codemods.engine.parent import runner

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SKIPPED_DIRS = {"site-packages", "dist-packages", "__pycache__"}
# Always in the sample: real asyncio code that spawns tasks (which the codemods must
# recognise as already safe: none of these changes).
ASYNCIO = ("asyncio/staggered.py", "asyncio/streams.py")
SAMPLE = 30


def stdlib_files() -> list[str]:
    files = []
    for path in STDLIB.rglob("*.py"):
        relative = path.relative_to(STDLIB)
        if SKIPPED_DIRS.isdisjoint(relative.parts) and path.is_file():
            if not path.is_symlink():
                files.append(relative.as_posix())
    return sorted(files)


def sample_files() -> list[str]:
    """A fixed, varied sample: small files picked by a hash of their path."""
    every = stdlib_files()
    small = [f for f in every if (STDLIB / f).stat().st_size < 30_000]
    picked = sorted(small, key=lambda f: zlib.crc32(f.encode()))[:SAMPLE]
    return sorted({*picked, *(f for f in ASYNCIO if f in every)})


@dataclass
class Figures:
    files: int = 0
    candidates: int = 0
    parsed: int = 0
    changed: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # the migration run alone, not the checks around it
    changed_files: list[str] = field(default_factory=list)

    def line(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.errors.items()))
        return (
            f"{self.files} files, {self.candidates} candidates, {self.parsed} parsed, "
            f"{self.changed} changed, errors: {kinds or 'none'}; "
            f"{self.seconds:.0f} s with 2 workers; changed: {self.changed_files}"
        )


def migrate(files: list[str], tree: Path) -> Figures:
    for relative in files:
        target = tree / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(STDLIB / relative, target)
    settings = Settings(root=str(tree))
    triggers = Job(settings).triggers
    paths = tuple(tree / relative for relative in files)  # named: no directory skipped
    request = runner.Request(
        paths, settings, mode="run", write=True, prefilter=False, jobs=2
    )
    started = time.monotonic()
    summary = runner.run(request)
    seconds = time.monotonic() - started

    figures = Figures(files=len(summary.results), seconds=seconds)
    assert figures.files == len(files)
    by_path = {Path(result.path).resolve(): result for result in summary.results}
    changed: list[str] = []
    for relative in files:
        result = by_path[(tree / relative).resolve()]
        original = (STDLIB / relative).read_bytes()
        now = (tree / relative).read_bytes()
        figures.candidates += any(word in original for word in triggers)
        if result.error is not None:
            figures.errors[result.error.kind] += 1
            assert result.error.kind in ("parse", "decode"), (relative, result.error)
        else:
            figures.parsed += 1
        if result.changed:
            assert result.written, (relative, result)
            changed.append(relative)
        else:
            assert now == original, f"{relative} changed on disk, not reported"
    figures.changed, figures.changed_files = len(changed), changed
    for relative in changed:
        _parses_as_before((STDLIB / relative).read_bytes(), (tree / relative))

    again = runner.run(runner.Request(paths, settings, mode="check", jobs=2))
    assert [r.path for r in again.results if r.changed] == [], "not idempotent"
    return figures


def _parses_as_before(original: bytes, path: Path) -> None:
    new = path.read_bytes()
    cst.parse_module(new)
    try:
        ast.parse(original)
    except SyntaxError:
        return
    ast.parse(new)


def test_stdlib_sample(tmp_path: Path) -> None:
    files = sample_files()
    figures = migrate(files, tmp_path)
    print(figures.line())
    assert figures.parsed >= len(files) * 9 // 10, figures.line()


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_whole_stdlib(tmp_path: Path) -> None:
    files = stdlib_files()
    figures = migrate(files, tmp_path)
    print(f"\nstandard library {STDLIB}: {figures.line()}")
    assert figures.parsed >= len(files) * 9 // 10, figures.line()
