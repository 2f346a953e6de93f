"""A whole run: discover files, process them in the pool, summarise. Never prints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

from codemods.config import Settings
from codemods.engine.discovery import discover, display
from codemods.engine.pipeline import Job, process_file
from codemods.engine.pool import Pool, Work, cpu_count
from codemods.engine.results import FileResult, Summary

Mode = Literal["check", "run"]
OnResult = Callable[[FileResult], None]


@dataclass(frozen=True)
class Request:
    paths: tuple[Path, ...]
    settings: Settings
    mode: Mode = "check"
    write: bool = False
    want_diff: bool = False
    safe_only: bool = False
    jobs: int | None = None
    file_timeout: float = 120.0


def run(
    request: Request,
    *,
    on_start: Callable[[int], None] | None = None,
    on_result: OnResult | None = None,
) -> Summary:
    """Process every discovered file; ``on_result`` sees each result as it completes."""
    found = discover(request.paths, request.settings)
    job = Job(
        request.settings,
        want_diff=request.want_diff,
        write=request.write,
        safe_only=request.safe_only,
    )
    items = [(path, display(path)) for path in found.files]
    if on_start is not None:
        on_start(len(items))
    results = _process(items, job, _jobs(request), request.file_timeout, on_result)
    return Summary.of(results, mode=request.mode, skipped=found.skipped)


def _jobs(request: Request) -> int:
    wanted = request.jobs if request.jobs is not None else request.settings.jobs
    return wanted if wanted else cpu_count()


def _process(
    items: Sequence[tuple[Path, str]],
    job: Job,
    jobs: int,
    file_timeout: float,
    on_result: OnResult | None,
) -> list[FileResult]:
    if not items:
        return []
    workers = max(1, min(jobs, len(items)))
    chunk = max(1, min(64, len(items) // (workers * 4)))
    results: list[FileResult] = []
    with Pool(workers, work_for, job, file_timeout=file_timeout) as pool:
        for result in pool.run(items, chunk):
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


def work_for(job: Job) -> Work:
    """The per-file function a worker runs (module level, so it pickles)."""
    return partial(process_file, job=job)
