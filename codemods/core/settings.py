"""What a run is configured to do: the ``Settings`` every layer reads, and the error
that bad configuration raises.

Plain values only: which codemods the selection means, and each codemod's options at
their defaults, are the registry's to say (``codemods.rules.registry``); reading and
checking ``[tool.codemods]`` is ``codemods.config``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class ConfigError(Exception):
    """Invalid configuration or usage; the CLI prints it and exits with 2."""


@dataclass(frozen=True)
class ImportOrder:
    """How the project's isort (or Ruff's ``I`` rules) orders imports, which the
    imports the codemods add follow; the defaults are both tools' own."""

    force_single_line: bool = False
    force_sort_within_sections: bool = False
    order_by_type: bool = True
    case_sensitive: bool = False
    # Modules whose names share one line even with ``force_single_line``.
    single_line_exclusions: tuple[str, ...] = ()
    # The width isort wraps imports at, when isort's own (None: the run's).
    line_length: int | None = None
    # Blank lines after the imports (-1: two before a ``def`` or ``class``, else one).
    lines_after_imports: int = -1


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, picklable so workers receive it whole."""

    select: tuple[str, ...] = ("ALL",)
    # Added to ``select`` (Ruff's ``extend-select``); a ``--select`` clears it.
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    # Exclude files named on the command line (or by --stdin-filename) too.
    force_exclude: bool = False
    # (glob, codes) pairs: the codes are suppressed in every file the glob matches.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    jobs: int | None = None
    trackers: tuple[str, ...] = ("track_task",)
    lifecycle_methods: tuple[str, ...] = ("start",)
    taskgroup_param: str = "tg"
    line_length: int = 88
    # The oldest Python the project supports, as (major, minor), and where that was
    # read (``codemods.core.declared``); None: not declared anywhere.
    target_version: tuple[int, int] | None = None
    # As the project's isort or Ruff configuration says (``codemods.core.declared``).
    import_order: ImportOrder = ImportOrder()
    target_source: str | None = None
    cache_dir: str = ".codemods_cache"
    # Per-codemod options by code, as configured (``codemods.config`` fills in every
    # declared option; a codemod reads a missing one at its default).
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    validate: Mapping[str, Any] = field(default_factory=dict)
    # Where the configuration came from; relative paths in it are relative to `root`.
    config_path: str | None = None
    root: str = "."
    # The code is a distribution (``core/distribution.py``): its public API has
    # callers outside the run.
    distribution: bool = False

    @property
    def tracker_names(self) -> tuple[str, ...]:
        """The last component of each configured tracker (``app.jobs.track_task`` ->
        ``track_task``): what a call of one must spell."""
        return tuple(name.rpartition(".")[2] for name in self.trackers)
