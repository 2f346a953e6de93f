"""Every codemod, in execution order, described without importing LibCST.

The engine reads codes, names, trigger words and options from here, so that deciding which
files need parsing (and a warm run that parses nothing) never imports LibCST. The codemod
classes themselves are imported on first use by :meth:`CodemodSpec.load`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codemods.config import Settings
    from codemods.transforms._base import Codemod

SPAWN_WORDS = (b"create_task", b"ensure_future")


@dataclass(frozen=True)
class Option:
    """A per-codemod setting, read from ``[tool.codemods.<CODE>]``."""

    key: str
    kind: type | tuple[type, ...]
    default: Any
    help: str


@dataclass(frozen=True)
class CodemodSpec:
    code: str
    name: str
    module: str
    class_name: str
    triggers: Callable[[Settings], tuple[bytes, ...]]
    options: tuple[Option, ...] = ()

    def load(self) -> type[Codemod]:
        cls: type[Codemod] = getattr(
            importlib.import_module(self.module), self.class_name
        )
        return cls


def tracker_words(settings: Settings) -> tuple[bytes, ...]:
    """The last component of each configured tracker: a call must spell it."""
    return tuple(name.rsplit(".", 1)[-1].encode() for name in settings.trackers)


CODEMODS: tuple[CodemodSpec, ...] = (
    CodemodSpec(
        code="TG001",
        name="legacy-tracker",
        module="codemods.transforms.legacy_tracker",
        class_name="LegacyTracker",
        triggers=tracker_words,
    ),
)


def find(code_or_name: str) -> CodemodSpec | None:
    """The codemod with this code or name (case-insensitive), if any."""
    wanted = code_or_name.strip().lower()
    for spec in CODEMODS:
        if wanted in (spec.code.lower(), spec.name):
            return spec
    return None


def select(selected: Sequence[str], ignored: Sequence[str]) -> tuple[CodemodSpec, ...]:
    """The codemods chosen by ``select``/``ignore`` (codes or names), in execution order.

    Unknown codes raise ``KeyError`` naming them; ``ALL`` selects everything.
    """
    wanted: set[str] = set()
    for item in selected:
        if item.strip().upper() == "ALL":
            wanted.update(spec.code for spec in CODEMODS)
            continue
        spec = find(item)
        if spec is None:
            raise KeyError(item)
        wanted.add(spec.code)
    for item in ignored:
        spec = find(item)
        if spec is None:
            raise KeyError(item)
        wanted.discard(spec.code)
    return tuple(spec for spec in CODEMODS if spec.code in wanted)
