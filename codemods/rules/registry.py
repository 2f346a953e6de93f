"""Every codemod, in execution order: one line each in ``CODEMODS``.

The specs import no LibCST (``specs.py``), so deciding which files need parsing, and a
warm run that parses nothing, never imports it. Also here: what follows from the
settings and the specs together (the selected codes, each option's value, the
digest of everything that can change a result, the project index's scope).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from codemods.analysis.scope import IndexScope
from codemods.core.settings import Settings
from codemods.rules.bounded_buffer.spec import SPEC as BOUNDED_BUFFER
from codemods.rules.dangling_task.spec import SPEC as DANGLING_TASK
from codemods.rules.legacy_tracker.spec import SPEC as LEGACY_TRACKER
from codemods.rules.lifespan_taskgroup.spec import SPEC as LIFESPAN_TASKGROUP
from codemods.rules.root_taskgroup.spec import SPEC as ROOT_TASKGROUP
from codemods.rules.specs import CodemodSpec
from codemods.rules.sync_start.spec import SPEC as SYNC_START
from codemods.rules.unawaited_coroutine.spec import SPEC as UNAWAITED_COROUTINE
from codemods.rules.unused_noqa.spec import SPEC as UNUSED_NOQA

if TYPE_CHECKING:  # it imports LibCST, which the registry never does at run time
    from codemods.analysis.gains import GainHook

CODEMODS: tuple[CodemodSpec, ...] = (
    # First, so that the tracker calls in a lifecycle method it converts already
    # have a TaskGroup in scope when TG001 sees them.
    SYNC_START,
    LEGACY_TRACKER,
    DANGLING_TASK,
    # After the codemods that give callees a TaskGroup parameter, which it asks the
    # index about; before TG005, which passes the root it opens down to them.
    ROOT_TASKGROUP,
    LIFESPAN_TASKGROUP,
    BOUNDED_BUFFER,
    # After every codemod that makes functions async: it sees their calls as left.
    UNAWAITED_COROUTINE,
    # Last: it reports the noqa directives the codemods before it did not use.
    UNUSED_NOQA,
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


def selected(settings: Settings) -> tuple[CodemodSpec, ...]:
    """The codemods ``settings`` select, in execution order."""
    return select((*settings.select, *settings.extend_select), settings.ignore)


def codes(settings: Settings) -> tuple[str, ...]:
    """Codes of the codemods ``settings`` select, in execution order."""
    return tuple(spec.code for spec in selected(settings))


def specs_of(chosen: Sequence[str]) -> tuple[CodemodSpec, ...]:
    """The codemods of the codes ``chosen``, in execution order."""
    return tuple(spec for spec in CODEMODS if spec.code in chosen)


def default_options() -> dict[str, dict[str, Any]]:
    """Every declared per-codemod option at its default, by code."""
    return {
        spec.code: {option.key: option.default for option in spec.options}
        for spec in CODEMODS
    }


def option(settings: Settings, code: str, key: str) -> Any:
    """The value of option ``key`` of codemod ``code`` (its default if not set)."""
    spec = find(code)
    if spec is None:
        raise KeyError(code)
    return spec.option(settings, key)


def digest(settings: Settings) -> str:
    """A stable hash of everything in ``settings`` that can change a file's result."""
    options = default_options()
    for code, configured in settings.options.items():
        options.setdefault(code, {}).update(configured)
    relevant = {
        "codes": codes(settings),
        "trackers": settings.trackers,
        "lifecycle_methods": settings.lifecycle_methods,
        "taskgroup_param": settings.taskgroup_param,
        "line_length": settings.line_length,
        "per_file_ignores": [settings.per_file_ignores, settings.root]
        if settings.per_file_ignores
        else None,
        "target_version": settings.target_version,
        "import_order": settings.import_order,
        "distribution": settings.distribution,
        "options": {code: dict(opts) for code, opts in sorted(options.items())},
    }
    blob = json.dumps(relevant, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def index_scope(settings: Settings) -> IndexScope:
    """What the project index's answers depend on, for a run with ``settings``: the
    selection, and the options that declare an ``IndexScope`` field as theirs."""
    fields = {
        option.scope: _frozen(spec.option(settings, option.key))
        for spec in CODEMODS
        for option in spec.options
        if option.scope is not None
    }
    return IndexScope(
        codes=codes(settings),
        lifecycle_methods=settings.lifecycle_methods,
        taskgroup_param=settings.taskgroup_param,
        distribution=settings.distribution,
        **fields,
    )


def _frozen(value: Any) -> Any:
    """An option's value as the (frozen, hashable) scope holds it."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def gain_hooks(settings: Settings) -> tuple[GainHook, ...]:
    """How the selected codemods that add a TaskGroup parameter decide where."""
    return tuple(spec.gains() for spec in selected(settings) if spec.gains is not None)
