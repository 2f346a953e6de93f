"""TG003's hook into the project index: which functions, and which classes'
``__init__``, its fixes give the TaskGroup parameter (``analysis/gains.py``)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.analysis.gains import CallFilter, GainHook
from codemods.core.settings import Settings
from codemods.cst.coroutines import Coroutines
from codemods.cst.qualified import QualifiedNamesOf
from codemods.rules.dangling_task.analysis import (
    callback_spawns,
    dangling_spawns,
    gains_taskgroup,
)
from codemods.rules.dangling_task.keeping import group_keeping


def _constructor(
    node: cst.ClassDef,
    methods: Sequence[cst.FunctionDef],
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: CallFilter,
    coroutines: Coroutines,
) -> tuple[str, ...]:
    param = settings.taskgroup_param
    keeping = group_keeping(node, resolve, param)
    if keeping is None or not keeping[0]:
        return ()
    provable = coroutines.in_class(node)
    return tuple(
        method.name.value
        for method in methods
        if any(
            not suppressed(call)
            for spawns in (dangling_spawns, callback_spawns)
            for call in spawns(method, resolve, param, provable)
        )
    )


def _function(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: CallFilter,
    coroutines: Coroutines,
) -> bool:
    return gains_taskgroup(
        function, resolve, settings.taskgroup_param, suppressed, coroutines
    )


GAINS = GainHook("TG003", _function, _constructor)
