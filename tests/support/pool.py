"""A stand-in for the engine's ``Pool``: one worker, this process, so that a test can
count what a run parses (``monkeypatch.setattr(codemods.engine.pool, "Pool", ...)``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codemods.engine.pool import MakeWork, work_of


class InProcessPool:
    def __init__(self, jobs: int, make_work: MakeWork, payload: Any, **_: Any) -> None:
        self.work = work_of(make_work, payload)

    def run(self, items: list[tuple[Any, ...]], chunk_size: int) -> Iterator[Any]:
        for item in items:
            yield self.work(*item)

    def run_pinned(
        self, items_by_pid: dict[int, list[tuple[Any, ...]]], chunk_size: int
    ) -> Iterator[Any]:
        for items in items_by_pid.values():
            yield from self.run(items, chunk_size)

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcessPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass
