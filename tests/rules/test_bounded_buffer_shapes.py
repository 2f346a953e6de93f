"""What TG004's rewrite of each buffer shape real code has does at run time (issue 21,
item 4): entries appended while a write is slow or failing all reach storage, in order,
and a full buffer drops only what it counts.

The golden cases' ``.after.py`` files (the tool's output, fixture code) are imported and
driven with asyncio; the ``.before.py`` of the lossy shapes is driven the same way to
show the loss the rewrite removes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.golden import CASES

FOLDER = CASES / "TG004"


class Storage:
    """Writes batches in memory; ``gate`` holds a write open until set; the next
    ``failures`` writes raise ``OSError`` (after the gate)."""

    def __init__(self) -> None:
        self.blocks: list[list[Any]] = []
        self.failures = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.writing = asyncio.Event()

    async def write(self, batch: list[Any]) -> None:
        entries = list(batch)  # serialised first, as exporters do, then the I/O
        self.writing.set()
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise OSError("storage down")
        self.blocks.append(entries)

    export = write  # the exporter's spelling

    @property
    def written(self) -> list[Any]:
        return [entry for block in self.blocks for entry in block]


@dataclass(frozen=True)
class Shape:
    case: str
    # Builds the buffer's owner on `storage` with `capacity`.
    build: Callable[[ModuleType, Storage, int], Any]
    add: str = "add"
    # The flush logs a failed write instead of raising it.
    swallows: bool = False

    async def failing(self, flush: Awaitable[None]) -> None:
        """Await a flush whose write fails."""
        if self.swallows:
            await flush
            return
        with pytest.raises(OSError, match="storage down"):
            await flush


def _with_sink(owner: str) -> Callable[[ModuleType, Storage, int], Any]:
    return lambda module, storage, capacity: getattr(module, owner)(storage, capacity)


def _with_config(module: ModuleType, storage: Storage, capacity: int) -> Any:
    vars(module)["write"] = storage.write  # the module's own write function
    return module.Outbox(module.Config(max_memory_entries=capacity))


SHAPES = [
    Shape("snapshot_await_clear", _with_sink("Outbox")),
    Shape("snapshot_await_clear_locked", _with_sink("Outbox")),
    Shape("rebound_after_write", _with_sink("Reporter")),
    Shape("deque_dropping_silently", _with_sink("DeliveryLog")),
    Shape("deque_rebound_after_write", _with_sink("Outbox")),
    Shape("append_outside_lock", _with_config, add="send_now"),
    Shape("already_deque", _with_config, add="send"),
    Shape("cleared_in_try", _with_sink("Outbox"), swallows=True),
    Shape("swapped_out_without_lock", _with_sink("Outbox")),
]
# Appends cannot wait for room: a full buffer drops its oldest entry, counted.
COUNTING = [s for s in SHAPES if s.case != "already_deque"]
# No lock keeps the appends out while the write awaits: the old code lost them.
LOSSY = [s for s in SHAPES if s.case in ("snapshot_await_clear", "rebound_after_write")]
LOSSY += [s for s in SHAPES if s.case == "cleared_in_try"]
LOSSY += [s for s in SHAPES if s.case.startswith("deque_")]


@contextmanager
def _loaded(path: Path) -> Iterator[ModuleType]:
    name = f"tg004_shape_{path.name.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


@pytest.fixture(params=SHAPES, ids=[s.case for s in SHAPES])
def shape(request: pytest.FixtureRequest) -> Shape:
    chosen: Shape = request.param
    return chosen


def _module(shape: Shape, stage: str) -> AbstractContextManager[ModuleType]:
    return _loaded(FOLDER / f"{shape.case}.{stage}.py")


def _dropped(owner: Any) -> int:
    [counter] = [v for k, v in vars(owner).items() if k.startswith("dropped")]
    assert isinstance(counter, int)
    return counter


async def _add(
    owner: Any, shape: Shape, entries: list[str]
) -> list[asyncio.Future[Any]]:
    """Append ``entries``; an async append (it may wait on the lock) runs as a task,
    returned so the caller can await it."""
    add = getattr(owner, shape.add)
    if not inspect.iscoroutinefunction(add):
        for entry in entries:
            add(entry)
        return []
    tasks = []
    for entry in entries:
        tasks.append(asyncio.ensure_future(add(entry)))
        await asyncio.sleep(0)  # appended in order
    return tasks


async def _append_during_write(
    owner: Any, shape: Shape, storage: Storage, *, fail: bool
) -> list[str]:
    """Append ``a*``, flush with the write held open (failing it if ``fail``), append
    ``b*`` meanwhile, then flush until storage has it all. What was appended."""
    first = [f"a{i}" for i in range(5)]
    second = [f"b{i}" for i in range(5)]
    for task in await _add(owner, shape, first):
        await task
    storage.gate.clear()
    storage.failures = int(fail)
    storage.writing.clear()
    flushing = asyncio.ensure_future(owner.flush())
    await asyncio.wait_for(storage.writing.wait(), 1)
    waiting = await _add(owner, shape, second)
    storage.gate.set()
    if fail:
        await shape.failing(flushing)
    else:
        await flushing
    for task in waiting:
        await task
    await owner.flush()
    return first + second


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 10))


@pytest.mark.parametrize("fail", [False, True], ids=["slow_write", "failing_write"])
def test_what_is_appended_during_a_write_reaches_storage_in_order(
    shape: Shape, fail: bool
) -> None:
    with _module(shape, "after") as module:

        async def scenario() -> None:
            storage = Storage()
            owner = shape.build(module, storage, 100)
            appended = await _append_during_write(owner, shape, storage, fail=fail)
            assert storage.written == appended
            assert _dropped(owner) == 0

        run(scenario)


@pytest.mark.parametrize("lossy", LOSSY, ids=[s.case for s in LOSSY])
def test_the_shape_before_the_rewrite_lost_those_entries(lossy: Shape) -> None:
    """The same slow write on the code as it was: what came in meanwhile is gone."""
    with _module(lossy, "before") as module:

        async def scenario() -> None:
            storage = Storage()
            owner = lossy.build(module, storage, 100)
            appended = await _append_during_write(owner, lossy, storage, fail=False)
            assert storage.written == appended[:5]

        run(scenario)


@pytest.mark.parametrize("counting", COUNTING, ids=[s.case for s in COUNTING])
def test_a_full_buffer_with_storage_down_drops_only_what_it_counts(
    counting: Shape, caplog: pytest.LogCaptureFixture
) -> None:
    with _module(counting, "after") as module:

        async def scenario() -> None:
            storage = Storage()
            owner = counting.build(module, storage, 5)
            await _add(owner, counting, ["a0", "a1", "a2"])
            storage.failures = 1
            await counting.failing(owner.flush())  # the batch goes back in front
            await _add(owner, counting, ["b0", "b1", "b2", "b3"])
            assert _dropped(owner) == 2  # a0 and a1 made room
            await owner.flush()
            assert storage.written == ["a2", "b0", "b1", "b2", "b3"]
            assert len(storage.written) + _dropped(owner) == 7

        with caplog.at_level(logging.WARNING):
            run(scenario)
        [warning] = [r for r in caplog.records if "dropped" in r.getMessage()]
        assert "storage failing: dropped 1 oldest" in warning.getMessage()


def test_a_full_deque_whose_appends_hold_the_lock_waits_for_room_instead() -> None:
    """``already_deque``: appends under the flush's lock wait while the buffer's
    capacity is taken by a batch being written, and go in once it is written."""
    [waiting] = [s for s in SHAPES if s.case == "already_deque"]
    with _module(waiting, "after") as module:

        async def scenario() -> None:
            storage = Storage()
            owner = waiting.build(module, storage, 2)
            await _add(owner, waiting, ["a0", "a1"])
            storage.gate.clear()
            flushing = asyncio.ensure_future(owner.flush())
            await asyncio.wait_for(storage.writing.wait(), 1)
            [late] = await _add(owner, waiting, ["b0"])
            await asyncio.sleep(0.05)
            assert not late.done()  # no room until the batch is written
            storage.gate.set()
            await flushing
            await late
            await owner.flush()
            assert storage.written == ["a0", "a1", "b0"]
            assert _dropped(owner) == 0

        run(scenario)


def test_a_batch_swapped_out_before_the_rewrite_was_lost_when_its_write_failed() -> (
    None
):
    """``swapped_out_without_lock`` lost nothing to a slow write, but all of a failed
    one: what the rewrite's guard puts back."""
    [swapped] = [s for s in SHAPES if s.case == "swapped_out_without_lock"]
    with _module(swapped, "before") as module:

        async def scenario() -> None:
            storage = Storage()
            owner = swapped.build(module, storage, 100)
            appended = await _append_during_write(owner, swapped, storage, fail=True)
            assert storage.written == appended[5:]

        run(scenario)
