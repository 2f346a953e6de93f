"""A small run works in this process, no pool, and says what the pool path says.

Few small candidates are done in the parent (``engine/inline.py``): no forkserver, no
worker, LibCST imported only once a candidate needs it. The results must not depend on
the path taken: every golden case and the legacy app give the same findings, diffs and
errors either way.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from codemods.core.results import FileResult
from codemods.core.settings import Settings
from codemods.engine.inline import InlinePool, LazyPool
from codemods.engine.parent import phases, runner
from codemods.engine.pool import Pool
from codemods.rules import registry
from tests.support.golden import REPO, settings_for, tree_cases, tree_settings
from tests.support.process import run_python

LEGACY_APP = REPO / "fixtures" / "legacy_app"
# A candidate of TG003 and a file spelling no trigger word.
SPAWNS = (
    "import asyncio\n\n\nasync def main() -> None:\n    asyncio.create_task(main())\n"
)
QUIET = "def add(a: int, b: int) -> int:\n    return a + b\n"


def _results(root: Path, settings: Settings, *, inline: bool) -> list[FileResult]:
    """A check of ``root`` with diffs, in this process or in the pool (forced)."""
    request = runner.Request(
        (root,), replace(settings, root=str(root)), want_diff=True, jobs=2
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(phases, "is_small", lambda sizes: inline)
        summary = runner.run(request)
    assert summary.stats["parsed"] > 0
    return sorted(summary.results, key=lambda result: result.path)


def _file_case_trees(tmp_path: Path) -> Iterator[tuple[str, Path, Settings]]:
    """Each codemod's one-file cases, side by side in a tree of their own."""
    for spec in registry.CODEMODS:
        befores = sorted(spec.cases.glob("*.before.py"))
        if not befores:
            continue
        tree = tmp_path / spec.code
        tree.mkdir()
        for before in befores:
            shutil.copyfile(before, tree / before.name.replace(".before", ""))
        yield spec.code, tree, settings_for(spec.code)


def test_the_golden_cases_say_the_same_in_process_and_in_the_pool(
    tmp_path: Path,
) -> None:
    trees = list(_file_case_trees(tmp_path))
    for case in tree_cases():
        trees.append((case.id, case.root / "before", tree_settings(case)))
    assert len(trees) > len(registry.CODEMODS)
    for name, tree, settings in trees:
        pooled = _results(tree, settings, inline=False)
        assert _results(tree, settings, inline=True) == pooled, name
        assert any(result.findings for result in pooled), name


def test_the_legacy_app_says_the_same_in_process_and_in_the_pool() -> None:
    settings = Settings(select=tuple(spec.code for spec in registry.CODEMODS))
    pooled = _results(LEGACY_APP, settings, inline=False)
    assert sum(len(result.findings) for result in pooled) >= 10
    assert _results(LEGACY_APP, settings, inline=True) == pooled


@pytest.mark.parametrize("inline", [True, False], ids=["in_process", "pool"])
def test_which_path_a_run_takes(
    inline: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few small candidates: this process; past ``INLINE_BYTES``: the pool."""
    (tmp_path / "spawns.py").write_text(SPAWNS)
    (tmp_path / "quiet.py").write_text(QUIET)
    if not inline:
        monkeypatch.setattr("codemods.engine.inline.INLINE_BYTES", len(SPAWNS) - 1)
    used: list[type] = []
    get = LazyPool.get

    def spy(self: LazyPool, items: int) -> object:
        made = get(self, items)
        used.append(type(made))
        return made

    monkeypatch.setattr(LazyPool, "get", spy)
    settings = Settings(select=("TG003",), root=str(tmp_path))
    summary = runner.run(runner.Request((tmp_path,), settings, jobs=2))
    found = [Path(r.path).name for r in summary.results if r.findings]
    assert found == ["spawns.py"]
    assert set(used) == ({InlinePool} if inline else {Pool})


def test_an_exception_is_the_files_error_and_the_run_goes_on() -> None:
    def make_work(payload: object) -> Callable[..., FileResult]:
        def work(path: str, shown: str) -> FileResult:
            if shown == "bad.py":
                raise ValueError("boom")
            return FileResult(shown)

        return work

    pool = InlinePool(1, make_work, None, file_timeout=30)
    items = [("a", "a.py"), ("b", "bad.py"), ("c", "c.py")]
    results = list(pool.run(items, 1))
    assert [r.path for r in results] == ["a.py", "bad.py", "c.py"]
    assert [r.error is None for r in results] == [True, False, True]
    assert results[1].error is not None and "ValueError('boom')" in (
        results[1].error.message
    )


def test_a_file_over_the_time_limit_is_skipped_and_the_rest_done() -> None:
    made: list[int] = []

    def make_work(payload: object) -> Callable[..., FileResult]:
        made.append(1)

        def work(path: float, shown: str) -> FileResult:
            if path:
                import time

                time.sleep(path)
            return FileResult(shown)

        return work

    pool = InlinePool(1, make_work, None, file_timeout=0.2)
    results = list(pool.run([(0, "a.py"), (5, "slow.py"), (0, "c.py")], 1))
    assert [r.error is None for r in results] == [True, False, True]
    assert results[1].error is not None and "timed out" in results[1].error.message
    assert len(made) == 2, "the overrunning work function was not replaced"


def _imports(script: str, *args: Path, cwd: Path) -> list[str]:
    """What a CLI run in a process of its own imported, of the heavy modules."""
    heavy = (
        "libcst",
        "multiprocessing",
        "codemods.engine.pool",
        "codemods.engine.worker",
    )
    code = textwrap.dedent(
        f"""
        import sys
        from codemods.cli import main

        try:
            main({script})
        except SystemExit:
            pass
        print(sorted(m for m in sys.modules if m.startswith({heavy!r})))
        """
    )
    done = run_python(code, *args, cwd=cwd)
    imported: list[str] = eval(done.stdout.splitlines()[-1])  # a printed list
    return imported


def test_a_run_without_candidates_imports_no_libcst(tmp_path: Path) -> None:
    (tmp_path / "quiet.py").write_text(QUIET)
    imported = _imports('["check", "--no-cache", sys.argv[1]]', tmp_path, cwd=tmp_path)
    assert not [m for m in imported if m.startswith(("libcst", "codemods.engine.w"))]
    assert "codemods.engine.pool" not in imported


def test_a_small_run_starts_no_pool(tmp_path: Path) -> None:
    """LibCST, which the candidate needs, but not the pool's module, nor the
    forkserver (LibCST's own ``codemod`` package imports ``multiprocessing``)."""
    (tmp_path / "spawns.py").write_text(SPAWNS)
    (tmp_path / "quiet.py").write_text(QUIET)
    imported = _imports('["check", "--no-cache", sys.argv[1]]', tmp_path, cwd=tmp_path)
    assert "libcst" in imported
    assert "codemods.engine.worker.phases" in imported
    assert "codemods.engine.pool" not in imported
    assert "multiprocessing.forkserver" not in imported
