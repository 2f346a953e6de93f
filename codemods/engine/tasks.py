"""What the parent asks of a worker about one file, and what comes back: the messages
of the phases (``parent/phases.py`` sends them, ``worker/phases.py`` answers them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemods.core.results import FileResult
from codemods.engine.cache import Stamp
from codemods.engine.files import spells_any, spells_identifier
from codemods.engine.job import Job

if TYPE_CHECKING:  # annotations only: a run the cache answers needs no index
    from codemods.analysis.facts import ModuleFacts
    from codemods.analysis.index import Query


@dataclass(frozen=True)
class Scan:
    """Task: parse the file if it spells one of the identifiers ``words`` (None: if it
    holds one of the job's triggers), or whatever it holds when ``force`` (a module
    the index needs)."""

    words: tuple[bytes, ...] | None = None
    force: bool = False
    # Another shard's file: only its facts are wanted (for the project index).
    facts_only: bool = False


@dataclass(frozen=True)
class Finalize:
    """Task: the file's result with the index pickled in ``index_file`` (None: its own,
    local index), transforming the kept tree again unless its result already comes
    from that index; ``commit``: write it (in write mode) and let the tree go."""

    index_file: str | None
    commit: bool = False


@dataclass(frozen=True)
class Scanned:
    result: FileResult
    facts: ModuleFacts | None = None
    queries: tuple[Query, ...] = ()
    parsed: bool = False
    # The result depends on other modules' facts: not final, not written.
    pending: bool = False
    # The pid of the worker keeping the parsed tree, if it is kept.
    holder: int | None = None
    # The file's stamp when read, if the job records stamps (for the cache).
    stamp: Stamp | None = None
    # Its facts come from the shared index file (``--index``): it was not parsed.
    shared: bool = False


@dataclass(frozen=True)
class Finalized:
    result: FileResult
    queries: tuple[Query, ...] = ()
    reparsed: bool = False
    # Names the full index could not resolve for this file (modules to scan next).
    unresolved: frozenset[str] = frozenset()
    holder: int | None = None


def scan_filter(job: Job, task: Scan) -> Callable[[bytes], bool] | None:
    """What a file's bytes must spell for ``task`` to parse it (None: anything)."""
    if not job.prefilter or task.force:
        return None
    # Static triggers are substrings; the index's names must be identifiers.
    if task.words is None:
        return spells_any(job.triggers)
    return spells_identifier(task.words)
