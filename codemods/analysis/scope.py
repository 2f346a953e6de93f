"""What the project index's answers depend on besides the facts: the run's codemods
and the settings they read (``rules/registry.py`` makes it from the settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexScope:
    """What the run does, as far as the index's answers depend on it."""

    codes: tuple[str, ...] = ()
    lifecycle_methods: tuple[str, ...] = ("start",)
    taskgroup_param: str = "tg"
    # Bases from outside the project known to define no lifecycle method (TG002).
    safe_bases: tuple[str, ...] = ()
    # Callables from outside the project known to accept the TaskGroup (TG005).
    accepting: tuple[str, ...] = ()
    # The code is a distribution, and whether TG002 may change its public API.
    distribution: bool = False
    convert_public_api: bool = False
