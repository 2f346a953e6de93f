"""The results cache: what a warm run serves, and everything that invalidates it.

A cached result is served only while the file's content, the configuration and the tool
are the ones it was computed with; with a codemod that reads other files (TG002's
project index), only while every file of the run is unchanged. A corrupt cache is
ignored. A warm run that parses nothing never imports LibCST.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from codemods.core.results import Summary
from codemods.core.settings import Settings
from codemods.engine import cache as cache_module
from codemods.engine import pool as pool_module
from codemods.engine.parent import runner
from tests.support.cli import TRACKED, invoke, write
from tests.support.golden import CASES
from tests.support.process import run_python as _python

MULTIMODULE = CASES / "TG002" / "multimodule" / "before"


def _run(
    root: Path,
    cache_dir: Path | None,
    *,
    select: tuple[str, ...] = ("ALL",),
    mode: runner.Mode = "check",
    **settings: Any,
) -> Summary:
    chosen = replace(Settings(select=select), root=str(root), **settings)
    request = runner.Request(
        (root,),
        chosen,
        mode=mode,
        want_diff=mode == "run",
        jobs=2,
        cache_dir=cache_dir,
    )
    return runner.run(request)


def _outcome(
    summary: Summary,
) -> list[tuple[str, bool, tuple[object, ...], str | None]]:
    return [(Path(r.path).name, r.changed, r.findings, r.diff) for r in summary.results]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MULTIMODULE, root)
    write(root, "app/tracked.py", TRACKED)
    write(root, "app/plain.py", "VALUE = 1\n")
    return root


def test_warm_run_serves_every_result_and_parses_nothing(
    project: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    assert cold.stats["parsed"] > 0 and cold.stats.get("cached") == 0
    assert cold.files_changed > 0, "the tree has something to migrate"
    warm = _run(project, cache_dir)
    assert warm.stats.get("parsed", 0) == 0
    assert warm.stats["cached"] == warm.files_scanned == cold.files_scanned
    assert _outcome(warm) == _outcome(cold)
    assert (cache_dir / "CACHEDIR.TAG").is_file()
    assert not list(cache_dir.glob("*.tmp")), "the cache is written atomically"


def test_files_that_cannot_be_parsed_or_decoded_are_served_too(
    project: Path, tmp_path: Path
) -> None:
    """Their errors last as long as their bytes: were they never cached, one such file
    would make every warm run with the project index (served whole or not at all) cold."""
    write(project, "app/broken.py", "async def f(:\n    asyncio.create_task(g())\n")
    (project / "app" / "binary.py").write_bytes(b"create_task\x00\xff")
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    assert sorted(r.error.kind for r in cold.results if r.error) == ["decode", "parse"]
    warm = _run(project, cache_dir)
    assert warm.stats.get("parsed", 0) == 0
    assert warm.stats["cached"] == warm.files_scanned
    assert [(r.path, r.error) for r in warm.results] == [
        (r.path, r.error) for r in cold.results
    ]


def test_a_changed_file_is_processed_again(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir, select=("TG001",))
    tracked = project / "app" / "tracked.py"
    assert [r.path for r in cold.results if r.changed] == [
        r.path for r in cold.results if r.path.endswith("tracked.py")
    ]
    # Same size, new content: the hash, not the size, tells.
    tracked.write_text(tracked.read_text().replace("track_task", "trace_task"))
    warm = _run(project, cache_dir, select=("TG001",))
    assert warm.stats.get("parsed", 0) == 0, "no trigger word left: read, not parsed"
    assert warm.stats["cached"] == warm.files_scanned - 1
    assert warm.files_changed == 0 and warm.findings == 0


def test_a_warm_run_that_changes_nothing_leaves_the_cache_file_alone(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Entries settled when read (``test_cache_status.py``): else one that settles
    # between the runs is written again, once, and that depends on the clock.
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    time.sleep(0.05)
    cache_dir = tmp_path / "cache"
    _run(project, cache_dir)
    (generation,) = cache_dir.glob("*.json")
    written = generation.read_bytes()
    os.utime(generation, ns=(0, 0))
    warm = _run(project, cache_dir)
    assert warm.stats["cached"] == warm.files_scanned
    assert generation.stat().st_mtime_ns == 0, "rewritten though nothing changed"
    # A touched file (same content, new mtime) is a new stamp: written again.
    tracked = project / "app" / "tracked.py"
    stat = tracked.stat()
    os.utime(tracked, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    _run(project, cache_dir)
    assert generation.stat().st_mtime_ns != 0
    assert generation.read_bytes() != written
    entry = json.loads(generation.read_bytes())["entries"][str(tracked)]
    assert entry[0][1] == stat.st_mtime_ns + 5_000_000_000


def test_a_touched_file_with_the_same_content_is_served(
    project: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    tracked = project / "app" / "tracked.py"
    stat = tracked.stat()
    os.utime(tracked, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    warm = _run(project, cache_dir)
    assert warm.stats.get("parsed", 0) == 0
    assert _outcome(warm) == _outcome(cold)


def test_with_the_project_index_one_change_parses_every_candidate_again(
    project: Path, tmp_path: Path
) -> None:
    """TG002's answers in one file depend on others: a change anywhere means every
    candidate is parsed again, while files that spell no trigger are not even read."""
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    write(project, "app/plain.py", "VALUE = 2\n")
    warm = _run(project, cache_dir)
    assert warm.stats["parsed"] == cold.stats["parsed"]
    assert warm.stats["cached"] == 0
    assert _outcome(warm) == _outcome(cold)


def test_with_the_project_index_a_removed_file_parses_every_candidate_again(
    project: Path, tmp_path: Path
) -> None:
    """Every remaining entry is still valid, but the file set is not the one the
    results were worked out over (the cache keeps it as a digest)."""
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    (project / "app" / "plain.py").unlink()
    warm = _run(project, cache_dir)
    assert warm.stats["cached"] == 0
    assert warm.stats["parsed"] == cold.stats["parsed"]
    again = _run(project, cache_dir)
    assert again.stats["cached"] == again.files_scanned


def test_a_configuration_change_invalidates(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir, select=("TG001",))
    assert cold.files_changed == 1
    other = _run(project, cache_dir, select=("TG001",), trackers=("trace_task",))
    assert other.stats["cached"] == 0
    assert other.files_changed == 0 and other.findings == 0
    again = _run(project, cache_dir, select=("TG001",))
    assert again.stats["cached"] == again.files_scanned, "each configuration its own"
    assert _outcome(again) == _outcome(cold)


def test_a_new_tool_version_invalidates(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    _run(project, cache_dir, select=("TG001",))
    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "a later release")
    later = _run(project, cache_dir, select=("TG001",))
    assert later.stats["cached"] == 0
    assert later.stats.get("parsed", 0) == 1


def test_check_results_are_not_served_to_a_run_that_needs_diffs(
    project: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    _run(project, cache_dir, select=("TG001",))
    dry = _run(project, cache_dir, select=("TG001",), mode="run")
    changed = [r for r in dry.results if r.changed]
    assert len(changed) == 1 and changed[0].diff
    assert '+    tg.create_task(tick(), name="tick")' in changed[0].diff
    again = _run(project, cache_dir, select=("TG001",), mode="run")
    assert again.stats["cached"] == again.files_scanned
    assert [r.diff for r in again.results] == [r.diff for r in dry.results]


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b'{"format": 1}', b'{"complete": [], "entries": {"x": 1}}'],
)
def test_a_corrupt_cache_is_ignored(
    project: Path, tmp_path: Path, garbage: bytes
) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    (generation,) = cache_dir.glob("*.json")
    generation.write_bytes(garbage)
    again = _run(project, cache_dir)
    assert again.stats["cached"] == 0
    assert _outcome(again) == _outcome(cold)
    assert json.loads(generation.read_bytes())["entries"], "rewritten whole"


def test_a_clean_result_is_one_word_and_a_bad_one_is_computed_again(
    project: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir, select=("TG001",))
    (generation,) = cache_dir.glob("*.json")
    document = json.loads(generation.read_bytes())
    entries = document["entries"]
    plain, tracked = (
        str(project / "app" / name) for name in ("plain.py", "tracked.py")
    )
    assert entries[plain][3] == cache_module.CLEAN
    assert entries[tracked][3]["findings"], "a result with something to say, in full"
    assert _run(project, cache_dir, select=("TG001",)).stats["cached"] == len(entries)
    entries[plain][3] = "dirty"
    generation.write_text(json.dumps(document))
    again = _run(project, cache_dir, select=("TG001",))
    assert again.stats["cached"] == len(entries) - 1, "only the bad entry is dropped"
    assert _outcome(again) == _outcome(cold)
    assert json.loads(generation.read_bytes())["entries"][plain][3] == "clean"


def test_an_unwritable_cache_directory_never_fails_the_run(
    project: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    summary = _run(project, blocker / "cache")
    assert summary.errors == 0 and summary.files_changed > 0


def test_cli_cache_location_and_no_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CODEMODS_NO_CACHE", raising=False)
    (project / "pyproject.toml").write_text("[tool.codemods]\nselect = ['TG001']\n")
    monkeypatch.chdir(tmp_path)
    assert invoke("check", "--no-cache", project).exit_code == 1
    assert not (project / ".codemods_cache").exists()
    assert invoke("check", project).exit_code == 1
    assert (project / ".codemods_cache" / "CACHEDIR.TAG").is_file()
    elsewhere = tmp_path / "elsewhere"
    first = invoke("check", "--cache-dir", elsewhere, project)
    second = invoke("check", "--cache-dir", elsewhere, project)
    assert (first.exit_code, first.stdout) == (second.exit_code, second.stdout)
    assert list(elsewhere.glob("*.json"))


def test_warm_check_does_not_import_libcst(project: Path, tmp_path: Path) -> None:
    """Both runs in one process (the tool's fingerprint stays the same); the cold run
    parses in the pool (a run this small would parse in the parent, ``inline.py``),
    and a warm run starts no worker."""
    script = textwrap.dedent(
        """
        import sys
        from codemods.cli import main
        from codemods.engine import inline

        inline.INLINE_FILES = -1

        def check():
            try:
                main(["check", "--cache-dir", sys.argv[1], sys.argv[2]])
            except SystemExit as exit:
                return exit.code
            raise AssertionError("no exit code")

        cold = check()
        assert "libcst" not in sys.modules, "the parent imported LibCST"
        warm = check()
        assert (cold, warm) == (1, 1), (cold, warm)
        print(sorted(name for name in sys.modules if name.startswith("libcst")))
        """
    )
    done = _python(script, tmp_path / "cache", project, cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_warm_check_imports_only_what_it_reports_with(
    project: Path, tmp_path: Path
) -> None:
    """A warm check served whole by the cache, in a process of its own, imports neither
    LibCST nor the scan machinery (the scheduler, the pool, the per-file pipeline,
    multiprocessing) nor rich, whose output it does not need off a terminal."""
    heavy = ("libcst", "rich", "multiprocessing", "codemods.engine.parent.phases",
             "codemods.engine.pool", "codemods.engine.tasks", "codemods.engine.worker",
             "codemods.engine.parent.shared_index", "codemods.analysis.index")  # fmt: skip
    script = textwrap.dedent(
        f"""
        import sys
        from codemods.cli import main

        try:
            main(["check", "--cache-dir", sys.argv[1], sys.argv[2]])
        except SystemExit as exit:
            assert exit.code == 1, exit.code
        heavy = {heavy!r}
        print(sorted(m for m in sys.modules if m.startswith(heavy)))
        """
    )
    for run in ("cold", "warm"):
        done = _python(script, tmp_path / "cache", project, cwd=tmp_path)
        imported = done.stdout.splitlines()[-1]
        assert (imported == "[]") == (run == "warm"), (run, imported)
    assert "would change" in done.stderr  # the warm run reported all the same


def test_a_warm_check_through_the_entry_imports_no_click(
    project: Path, tmp_path: Path
) -> None:
    """The console script's entry runs a check without click or the rest of the
    command line, cold or warm, and a warm one without the writer either; it reports
    as the click command does (``tests/test_entry.py`` compares the two)."""
    heavy = ("click", "codemods.cli", "codemods.engine.writer", "tempfile", "libcst",
             "rich", "multiprocessing", "codemods.engine.parent.phases")  # fmt: skip
    script = textwrap.dedent(
        f"""
        import sys
        from codemods.engine import cache
        from codemods.entry import main

        sys.argv = ["codemods", "check", "--cache-dir", sys.argv[1], sys.argv[2]]
        # Entries settled when read: else one that settles between the two runs is
        # written again, once (the writer imported), and that depends on the clock.
        cache.RACY_NS = 0
        try:
            main()
        except SystemExit as exit:
            assert exit.code == 1, exit.code
        heavy = {heavy!r}
        print(sorted(m for m in sys.modules if m.startswith(heavy)))
        """
    )
    time.sleep(0.05)
    runs = [_python(script, tmp_path / "cache", project, cwd=tmp_path) for _ in "cw"]
    cold, warm = (done.stdout.splitlines()[-1] for done in runs)
    assert "'click'" not in cold and "phases" in cold and warm == "[]", (cold, warm)
    assert runs[1].stderr == runs[0].stderr and "would change" in runs[1].stderr


def test_no_worker_starts_when_nothing_needs_parsing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run, or a small tree that spells no trigger word, starts no pool."""
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    plain = tmp_path / "plain"
    write(plain, "a.py", "VALUE = 1\n")
    write(plain, "b.py", "def f() -> None:\n    pass\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(pool_module.Pool, "__init__", refuse)
    warm = _run(project, cache_dir)
    assert _outcome(warm) == _outcome(cold)
    clean = _run(plain, None)
    assert clean.files_scanned == 2 and clean.return_code == 0


def test_the_tool_fingerprint_counts_the_package_code_not_its_data(
    tmp_path: Path,
) -> None:
    """Every Python file of the package counts (its size and time), at any depth; the
    golden cases, the bundled app and the byte-code do not."""
    for name in ("a.py", "x/b.py", "x/y/c.py", "x/cases/d.py", "_bundled/e.py",
                 "__pycache__/f.py", "x/notes.txt"):  # fmt: skip
        write(tmp_path, name, "pass\n")
    sources = sorted(cache_module._sources(str(tmp_path), ""))
    assert [name for name, _, _ in sources] == ["a.py", "x/b.py", "x/y/c.py"]
    os.utime(tmp_path / "x" / "y" / "c.py", ns=(1, 1))
    assert sorted(cache_module._sources(str(tmp_path), "")) != sources
