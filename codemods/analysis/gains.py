"""Which functions a per-file codemod gives a TaskGroup parameter, recorded as facts.

TG005 passes the TaskGroup in scope to every callee that accepts one *after* the run.
TG002's additions follow from lifecycle families, which the index works out; a per-file
codemod decides on the tree, so its decision is taken here, while the tree is at hand,
and stored in :class:`~codemods.analysis.facts.FunctionFacts.gains_taskgroup` and
:class:`~codemods.analysis.facts.ClassFacts.init_gains_via`. A codemod that adds the
parameter contributes a :class:`GainHook`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import libcst as cst

from codemods.config import Settings
from codemods.cst.matchers import (
    QualifiedNamesOf,
    dangling_spawns,
    gains_taskgroup,
    group_keeping,
)

# Whether a noqa comment for the given codemod suppresses its finding at a call.
Suppressed = Callable[[str, cst.Call], bool]
CallFilter = Callable[[cst.Call], bool]


@dataclass(frozen=True)
class GainHook:
    """How one codemod decides who gains the TaskGroup parameter ``param``."""

    code: str
    # Does it add the parameter to this function?
    function: Callable[[cst.FunctionDef, QualifiedNamesOf, str, CallFilter], bool]
    # The instance methods whose fix makes the class's `__init__` take the parameter.
    constructor: Callable[
        [cst.ClassDef, Sequence[cst.FunctionDef], QualifiedNamesOf, str, CallFilter],
        tuple[str, ...],
    ]


def _dangling_task_constructor(
    node: cst.ClassDef,
    methods: Sequence[cst.FunctionDef],
    resolve: QualifiedNamesOf,
    param: str,
    suppressed: CallFilter,
) -> tuple[str, ...]:
    keeping = group_keeping(node, resolve, param)
    if keeping is None or not keeping[0]:
        return ()
    return tuple(
        method.name.value
        for method in methods
        if any(not suppressed(call) for call in dangling_spawns(method, resolve, param))
    )


HOOKS: tuple[GainHook, ...] = (
    GainHook(
        "TG003",
        gains_taskgroup,
        _dangling_task_constructor,
    ),
)


def function_gains(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: Suppressed,
) -> tuple[str, ...]:
    """Codes of the selected codemods adding the TaskGroup parameter to ``function``."""
    selected = settings.codes
    return tuple(
        hook.code
        for hook in HOOKS
        if hook.code in selected
        and hook.function(
            function,
            resolve,
            settings.taskgroup_param,
            partial(suppressed, hook.code),
        )
    )


def constructor_gains(
    node: cst.ClassDef,
    methods: Sequence[cst.FunctionDef],
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: Suppressed,
) -> tuple[str, ...]:
    """Methods whose fix (by a selected codemod) gives ``__init__`` the parameter."""
    selected = settings.codes
    found: list[str] = []
    for hook in HOOKS:
        if hook.code in selected:
            found.extend(
                hook.constructor(
                    node,
                    methods,
                    resolve,
                    settings.taskgroup_param,
                    partial(suppressed, hook.code),
                )
            )
    return tuple(sorted(set(found)))
