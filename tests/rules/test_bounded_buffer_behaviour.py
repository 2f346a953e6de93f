"""What the lifecycle codemods' generated code does at run time (issue 3, "Done when").

Migrated fixtures are imported (fixture code, never the codemods' input) and run inside
an ``asyncio.TaskGroup``: the golden ``audit_trail`` case (the legacy audit trail's
buffer as TG004 rewrote it) and the ``mailroom`` package, which every codemod migrated
across its modules (TG002's async ``start``, TG003's group for a fire-and-forget
send, TG005's group passed down from the lifespan, TG004's bounded outbox). Every entry
reaches storage while storage works, the buffer never holds more than its ``maxlen``, a
failed write puts its batch back in order, a batch that no longer fits is dropped only
counted and warned about, and shutdown leaves no task running.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import shutil
import sys
from collections.abc import Coroutine, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest

from tests.support.golden import CASES

AFTER = CASES / "TG004" / "audit_trail.after.py"
MAILROOM = CASES / "TG004" / "mailroom"
T = TypeVar("T")


@pytest.fixture(scope="module")
def generated() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("tg004_audit_trail", AFTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


class Storage:
    """Blocks written in memory; fails the next ``failures`` writes; ``gate`` holds a
    write until it is set."""

    def __init__(self) -> None:
        self.blocks: list[list[Any]] = []
        self.failures = 0
        self.gate: asyncio.Event | None = None
        self.writing = asyncio.Event()

    async def write_block(self, entries: list[Any]) -> None:
        self.writing.set()
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(0.001)
        if self.failures:
            self.failures -= 1
            raise OSError("disk full")
        self.blocks.append(list(entries))

    @property
    def written(self) -> list[Any]:
        return [entry for block in self.blocks for entry in block]


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    async def bounded() -> T:
        async with asyncio.timeout(30):
            return await coroutine

    return asyncio.run(bounded())


async def failing(coroutine: Coroutine[Any, Any, object]) -> OSError | None:
    """Run ``coroutine`` in a TaskGroup without its storage error ending the group."""
    try:
        await coroutine
    except OSError as error:
        return error
    return None


def _trail(module: ModuleType, storage: Storage, **config: Any) -> Any:
    defaults = {"flush_interval_seconds": 0.01, "buffer_full_timeout_seconds": 10.0}
    return module.AuditTrail(module.AuditConfig(**(defaults | config)), storage)


def test_workers_persist_everything_within_maxlen_and_leave_no_task(
    generated: ModuleType,
) -> None:
    async def scenario() -> tuple[Any, Storage, int, set[asyncio.Task[Any]]]:
        storage = Storage()
        trail = _trail(generated, storage, max_memory_entries=16, flush_batch_size=4)
        longest = 0
        producing = True

        async def produce(producer: int) -> None:
            for n in range(50):
                await trail.log_event(f"{producer}-{n}")

        async def watch() -> None:
            nonlocal longest
            while producing:
                longest = max(longest, len(trail.pending_entries))
                await asyncio.sleep(0)

        async with asyncio.TaskGroup() as tg:
            await trail.start(tg)
            watcher = tg.create_task(watch())
            async with asyncio.TaskGroup() as producers:
                for producer in range(8):
                    producers.create_task(produce(producer))
            producing = False
            await watcher
            await trail.stop()
        current = asyncio.current_task()
        return trail, storage, longest, asyncio.all_tasks() - {current}

    trail, storage, longest, left = run(scenario())
    assert left == set()
    assert trail._tasks == []
    assert trail._pending_entries.maxlen == 16
    assert 0 < longest <= 16
    assert [entry.sequence for entry in storage.written] == list(range(1, 401))
    assert trail.pending_entries == [] and trail.dropped_entries == 0
    # The producers outran the writes: they waited for room, more than one block.
    assert len(storage.blocks) > 1


def test_a_failed_write_puts_its_batch_back_in_front_in_order(
    generated: ModuleType,
) -> None:
    async def scenario() -> tuple[list[int], list[int], Any]:
        storage = Storage()
        trail = _trail(generated, storage, max_memory_entries=32)
        first = [await trail.log_event("first") for _ in range(5)]
        storage.failures, storage.gate = 1, asyncio.Event()
        async with asyncio.TaskGroup() as tg:
            flush = tg.create_task(failing(trail.flush()))
            await storage.writing.wait()
            # The batch is out of the buffer and being written: logging goes on.
            later = [await trail.log_event("later") for _ in range(3)]
            storage.gate.set()
            assert str(await flush) == "disk full"
            requeued = [entry.sequence for entry in trail.pending_entries]
        await trail.flush()
        written = [entry.sequence for entry in storage.written]
        assert requeued == first + later
        return first + later, written, trail

    expected, written, trail = run(scenario())
    assert written == expected
    assert trail.dropped_entries == 0


def test_a_batch_that_no_longer_fits_is_dropped_counted_and_warned(
    generated: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    async def scenario() -> tuple[list[int], list[int], Any]:
        storage = Storage()
        trail = _trail(
            generated, storage, max_memory_entries=4, buffer_full_timeout_seconds=0.01
        )
        old = [await trail.log_event("old") for _ in range(4)]
        storage.failures, storage.gate = 1, asyncio.Event()
        async with asyncio.TaskGroup() as tg:
            flush = tg.create_task(failing(trail.flush()))
            await storage.writing.wait()
            # Full (4 unsaved, in flight): each waits its bounded time, then goes in.
            new = [await trail.log_event("new") for _ in range(4)]
            storage.gate.set()
            assert await flush is not None
        pending = [entry.sequence for entry in trail.pending_entries]
        return old, new, (pending, trail)

    old, new, (pending, trail) = run(scenario())
    # The newer entries keep their place; the older batch did not fit back: counted.
    assert pending == new
    assert trail.dropped_entries == len(old)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "AuditTrail.pending_entries full and storage failing: "
        "dropped 4 oldest entries (4 in total)"
    ]


@pytest.fixture(scope="module")
def mailroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The migrated ``mailroom`` package (its after tree over its before tree),
    imported from a temporary directory; ``mailroom.lifespan`` is returned."""
    root = tmp_path_factory.mktemp("mailroom")
    shutil.copytree(MAILROOM / "before", root, dirs_exist_ok=True)
    shutil.copytree(MAILROOM / "after", root, dirs_exist_ok=True)
    sys.path.insert(0, str(root))
    try:
        lifespan = importlib.import_module("mailroom.lifespan")
        assert Path(lifespan.__file__ or "").is_relative_to(root)
        yield lifespan
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.partition(".")[0] == "mailroom"]:
            del sys.modules[name]


def _mail_config(mailroom: ModuleType, **values: Any) -> Any:
    config = sys.modules["mailroom.config"]
    defaults = {"flush_interval_seconds": 0.01, "buffer_full_timeout_seconds": 10.0}
    return config.OutboxConfig(**(defaults | values))


def test_mailroom_persists_everything_within_maxlen_and_leaves_no_task(
    mailroom: ModuleType,
) -> None:
    storage = Storage()
    config = _mail_config(mailroom, max_memory_entries=16, flush_batch_size=4)
    seen: dict[str, Any] = {"longest": 0}

    async def work(service: Any) -> None:
        outbox = service.outbox
        seen["maxlen"] = outbox._pending_messages.maxlen
        seen["workers"] = [task.get_name() for task in outbox._tasks]
        producing = True

        async def watch() -> None:
            while producing:
                seen["longest"] = max(seen["longest"], len(outbox._pending_messages))
                await asyncio.sleep(0)

        async def produce(producer: int) -> None:
            for n in range(50):
                await service.send(f"user{producer}", f"message {n}")

        async with asyncio.TaskGroup() as group:
            watcher = group.create_task(watch())
            async with asyncio.TaskGroup() as producers:
                for producer in range(8):
                    producers.create_task(produce(producer))
            # TG003 spawned these in the lifespan's TaskGroup, kept by the service.
            for n in range(10):
                await service.send_later("late", f"message {n}")
            while outbox.last_sequence < 410:
                await asyncio.sleep(0)
            producing = False
            await watcher

    async def scenario() -> tuple[Any, set[asyncio.Task[Any]]]:
        service = await mailroom.serve(config, storage, work)
        current = asyncio.current_task()
        return service, asyncio.all_tasks() - {current}

    service, left = run(scenario())
    assert left == set()
    assert service.tg is not None and service._background_tasks == set()
    outbox = service.outbox
    assert seen["workers"] == ["outbox_flush_worker"] and outbox._tasks == []
    assert seen["maxlen"] == 16
    assert 0 < seen["longest"] <= 16
    assert [message.sequence for message in storage.written] == list(range(1, 411))
    assert outbox.pending_messages == [] and outbox.dropped_messages == 0
    # The producers outran the writes: they waited for room, more than one block.
    assert len(storage.blocks) > 1


def test_mailroom_requeues_a_failed_batch_in_order(mailroom: ModuleType) -> None:
    storage = Storage()
    config = _mail_config(
        mailroom, max_memory_entries=32, flush_batch_size=999, flush_interval_seconds=60
    )
    seen: dict[str, list[int]] = {}

    async def work(service: Any) -> None:
        first = [await service.send("user", "first") for _ in range(5)]
        storage.failures, storage.gate = 1, asyncio.Event()
        async with asyncio.TaskGroup() as group:
            flush = group.create_task(failing(service.outbox.flush()))
            await storage.writing.wait()
            # The batch is out of the buffer and being written: sending goes on.
            later = [await service.send("user", "later") for _ in range(3)]
            storage.gate.set()
            assert str(await flush) == "disk full"
        seen["sent"] = first + later
        seen["requeued"] = [m.sequence for m in service.outbox.pending_messages]

    service = run(mailroom.serve(config, storage, work))
    assert seen["requeued"] == seen["sent"] == list(range(1, 9))
    # Shutdown wrote them, in order, once storage worked again.
    assert [message.sequence for message in storage.written] == seen["sent"]
    assert service.outbox.pending_messages == []
    assert service.outbox.dropped_messages == 0
