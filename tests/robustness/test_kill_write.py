"""`run --write` killed with SIGKILL at random moments (issue 7.3).

A tree (the TG001 golden ``.before.py`` files copied under numbered packages, plus
filler modules) is migrated by ``codemods run --write`` in a subprocess, with its
results cache, killed (with its worker processes: the whole process group) at a random
moment. Then:

- every file is exactly its old or exactly its new content (new: what a complete run
  writes), and nothing but temporary files (``*.codemods-tmp``) was added;
- a complete run afterwards finishes the migration, never reports or touches a temporary
  file (those the kill left, and planted ones holding legacy code, even when
  ``--include`` names them), and leaves every file new;
- a complete run leaves no temporary file behind.

Three trials on a tree of 220 files always run; ``-m slow`` runs twenty on one of
over 2,600 files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from codemods.engine.paths import TEMP_SUFFIX
from tests.robustness.helpers import cli_argv, cli_env, run_cli, snapshot
from tests.support.golden import CASES

# (copies of the TG001 cases, filler modules): each copy holds every TG001 case
# (18 on 2026-12-03), plus its __init__.py.
SMALL = (10, 40)
LARGE = (130, 300)
# Named as the writer names its temporary files, planted before every finishing run.
PLANTED_TEMP = "pkg_0000/.result_discarded.py.planted1.codemods-tmp"
FILLER = '''"""Filler module {n}: no trigger word, never parsed."""

VALUE = {n}


def double(x: int) -> int:
    return 2 * x
'''


@dataclass(frozen=True)
class Corpus:
    before: Path  # the untouched tree, copied for every trial
    old: dict[str, bytes]
    new: dict[str, bytes]
    seconds: float  # how long a complete run took
    changing: list[str]  # the files a complete run changes


def _build(root: Path, copies: int, fillers: int) -> None:
    cases = sorted((CASES / "TG001").glob("*.before.py"))
    for copy in range(copies):
        package = root / f"pkg_{copy:04d}"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        for case in cases:
            name = case.name.removesuffix(".before.py")
            (package / f"{name}.py").write_bytes(case.read_bytes())
    folder = root / "filler"
    folder.mkdir()
    for n in range(fillers):
        (folder / f"mod_{n:04d}.py").write_text(FILLER.format(n=n))


def _corpus(scratch: Path, size: tuple[int, int]) -> Corpus:
    before = scratch / "before"
    _build(before, *size)
    old = snapshot(before)
    reference = shutil.copytree(before, scratch / "reference")
    started = time.monotonic()
    done = run_cli(scratch, ["run", "--write", "."], cwd=reference, timeout=900)
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-2000:]
    new = snapshot(reference)
    assert not [p for p in new if p.endswith(TEMP_SUFFIX)], (
        "a complete run left temp files"
    )
    assert set(new) == set(old)
    changed = sum(old[p] != new[p] for p in old)
    assert changed >= len(old) // 2, f"only {changed} of {len(old)} files changed"
    return Corpus(before, old, new, seconds, [p for p in old if old[p] != new[p]])


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return _corpus(tmp_path_factory.mktemp("kill-small"), SMALL)


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    corpus = _corpus(tmp_path_factory.mktemp("kill-large"), LARGE)
    assert len(corpus.old) >= 2000
    return corpus


@dataclass(frozen=True)
class Moment:
    """When to kill: after ``delay`` seconds, or once ``writes`` files were replaced."""

    delay: float | None = None
    writes: int | None = None

    def __str__(self) -> str:
        return f"{self.delay:.2f} s" if self.delay is not None else f"{self.writes} w"


def _replaced(paths: dict[Path, int]) -> int:
    """How many of ``paths`` (-> inode when copied) were replaced since."""
    return sum(os.stat(path).st_ino != inode for path, inode in paths.items())


def _kill(tree: Path, scratch: Path, moment: Moment, changing: list[str]) -> None:
    inodes = {tree / name: os.stat(tree / name).st_ino for name in changing}
    process = subprocess.Popen(
        [*cli_argv(scratch), "run", "--write", "."],
        cwd=tree,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the workers die with it
    )
    if moment.delay is not None:
        time.sleep(moment.delay)
    else:
        assert moment.writes is not None
        deadline = time.monotonic() + 900
        while process.poll() is None and time.monotonic() < deadline:
            if _replaced(inodes) >= moment.writes:
                break
            time.sleep(0.002)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it had already finished
    process.wait(timeout=60)
    _wait_group_gone(process.pid)


def _wait_group_gone(group: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"process group {group} still alive")


def _trial(corpus: Corpus, scratch: Path, moment: Moment) -> tuple[int, int]:
    """One killed run; (files already new, temp files left)."""
    tree = shutil.copytree(corpus.before, scratch / "tree")
    _kill(tree, scratch, moment, corpus.changing)

    after_kill = snapshot(tree)
    temps = {p for p in after_kill if p.endswith(TEMP_SUFFIX)}
    assert set(after_kill) - temps == set(corpus.old), "files appeared or vanished"
    torn = [
        p for p in corpus.old if after_kill[p] not in (corpus.old[p], corpus.new[p])
    ]
    assert torn == [], f"neither old nor new after a kill at {moment}: {torn[:5]}"
    done_before = sum(
        after_kill[p] == corpus.new[p] != corpus.old[p] for p in corpus.old
    )
    # Make every leftover look like legacy code, and plant one more: never taken.
    for name in {*temps, PLANTED_TEMP}:
        (tree / name).write_bytes(corpus.old["pkg_0000/result_discarded.py"])
    leftovers = {p: (tree / p).read_bytes() for p in {*temps, PLANTED_TEMP}}

    finish = run_cli(
        scratch,
        ["run", "--write", "--format", "json", "--include", f"*{TEMP_SUFFIX}", "."],
        cwd=tree,
        timeout=900,
    )
    assert finish.returncode == 0, finish.stderr[-2000:]
    reported = {entry["path"] for entry in json.loads(finish.stdout)["files"]}
    assert not [p for p in reported if p.endswith(TEMP_SUFFIX)]
    final = snapshot(tree)
    assert {p: final[p] for p in leftovers} == leftovers, "a temporary file was touched"
    left = {p for p in final if p.endswith(TEMP_SUFFIX)}
    assert left == set(leftovers), "the complete run left temporary files of its own"
    assert {p: final[p] for p in corpus.old} == corpus.new, (
        "the next run did not finish"
    )
    shutil.rmtree(tree)
    return done_before, len(temps)


def _trials(corpus: Corpus, scratch: Path, count: int) -> None:
    """``count`` kills: a quarter at a random moment of a run's duration (start-up
    included), the others once a random number of files were replaced."""
    seed = random.randrange(2**32)
    chooser = random.Random(seed)
    changing = len(corpus.changing)
    moments = [
        Moment(delay=chooser.uniform(0.05, corpus.seconds))
        if n % 4 == 0
        else Moment(writes=chooser.randint(1, max(1, changing // 2)))
        for n in range(count)
    ]
    outcomes = [(str(moment), *_trial(corpus, scratch, moment)) for moment in moments]
    print(f"seed {seed}; (kill at, files already new, temp files left):", outcomes)
    # Some kill must have caught the run half-way, or the test exercised nothing.
    assert any(0 < done < changing for _, done, _ in outcomes), outcomes


def test_killed_runs_leave_old_or_new_files(
    small_corpus: Corpus, tmp_path: Path
) -> None:
    _trials(small_corpus, tmp_path, count=3)


@pytest.mark.slow
@pytest.mark.timeout(7200)
def test_twenty_killed_runs_on_2000_files(large_corpus: Corpus, tmp_path: Path) -> None:
    _trials(large_corpus, tmp_path, count=20)
