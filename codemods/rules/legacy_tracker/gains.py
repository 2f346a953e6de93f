"""TG001's hook into the project index: which functions its fixes give the TaskGroup
parameter (``analysis/gains.py``), so that TG005/TG007 pass it from their callers."""

from __future__ import annotations

import libcst as cst

from codemods.analysis.gains import CallFilter, GainHook
from codemods.core.settings import Settings
from codemods.cst.coroutines import Coroutines
from codemods.cst.qualified import QualifiedNamesOf
from codemods.rules.legacy_tracker.calls import gains_taskgroup


def _function(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: CallFilter,
    coroutines: Coroutines,
) -> bool:
    return gains_taskgroup(
        function,
        resolve,
        param=settings.taskgroup_param,
        trackers=settings.trackers,
        suppressed=suppressed,
        coroutines=coroutines,
    )


GAINS = GainHook("TG001", _function)  # it gives no constructor the parameter
