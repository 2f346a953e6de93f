"""The worker pool: one crashing or hanging file costs only that file its result."""

from __future__ import annotations

import os
import time
from pathlib import Path

from codemods.core.results import FileResult
from codemods.engine.pool import Pool, Work


def _behaviour(path: Path, shown: str) -> FileResult:
    if path.name == "crash.py":
        os.abort()
    if path.name == "hang.py":
        time.sleep(60)
    return FileResult(shown, changed=True)


def make_work(payload: object) -> Work:
    return _behaviour


def _items(*names: str) -> list[tuple[Path, str]]:
    return [(Path(name), name) for name in names]


def test_a_crash_is_blamed_on_its_file_and_the_rest_completes() -> None:
    names = [f"ok{i}.py" for i in range(10)]
    names.insert(4, "crash.py")
    with Pool(2, make_work, None, file_timeout=30) as pool:
        results = {r.path: r for r in pool.run(_items(*names), chunk_size=3)}
    assert set(results) == set(names)
    crash = results.pop("crash.py")
    assert crash.error is not None
    assert (
        crash.error.message
        == "worker process crashed (signal 6) while processing this file"
    )
    assert all(r.changed and r.error is None for r in results.values())


def test_a_file_over_the_time_limit_is_skipped() -> None:
    with Pool(1, make_work, None, file_timeout=1.5) as pool:
        results = {
            r.path: r for r in pool.run(_items("a.py", "hang.py", "b.py"), chunk_size=3)
        }
    assert results["hang.py"].error is not None
    assert results["hang.py"].error.message == "timed out after 1.5 s; skipped"
    assert results["a.py"].changed and results["b.py"].changed
