"""Which functions a per-file codemod gives a TaskGroup parameter, recorded as facts.

TG005 passes the TaskGroup in scope to every callee that accepts one *after* the run.
TG002's additions follow from lifecycle families, which the index works out; a per-file
codemod decides on the tree, so its decision is taken while the facts are collected,
the tree at hand, and stored in
:class:`~codemods.analysis.facts.FunctionFacts.gains_taskgroup` and
:class:`~codemods.analysis.facts.ClassFacts.init_gains_via`. A codemod that adds the
parameter declares a :class:`GainHook` in its spec (``CodemodSpec.gains``); the caller
of ``collect_facts`` passes the hooks of the selected codemods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import libcst as cst

from codemods.core.settings import Settings
from codemods.cst.coroutines import Coroutines
from codemods.cst.qualified import QualifiedNamesOf

# Whether a noqa comment for the given codemod suppresses its finding at a call.
Suppressed = Callable[[str, cst.Call], bool]
CallFilter = Callable[[cst.Call], bool]


@dataclass(frozen=True)
class GainHook:
    """How one codemod decides who gains the TaskGroup parameter ``param``."""

    code: str
    # Does it add the parameter (``settings.taskgroup_param``) to this function?
    # (What is provably a coroutine decides whether a spawn may go into a TaskGroup.)
    function: Callable[
        [cst.FunctionDef, QualifiedNamesOf, Settings, CallFilter, Coroutines], bool
    ]
    # The instance methods whose fix makes the class's `__init__` take the parameter
    # (None: its fixes give no constructor the parameter).
    constructor: (
        Callable[
            [
                cst.ClassDef,
                Sequence[cst.FunctionDef],
                QualifiedNamesOf,
                Settings,
                CallFilter,
                Coroutines,
            ],
            tuple[str, ...],
        ]
        | None
    ) = None


def function_gains(
    function: cst.FunctionDef,
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: Suppressed,
    hooks: Sequence[GainHook],
    coroutines: Coroutines,
) -> tuple[str, ...]:
    """Codes of the codemods (by ``hooks``) adding the TaskGroup parameter to
    ``function``."""
    return tuple(
        hook.code
        for hook in hooks
        if hook.function(
            function,
            resolve,
            settings,
            partial(suppressed, hook.code),
            coroutines,
        )
    )


def constructor_gains(
    node: cst.ClassDef,
    methods: Sequence[cst.FunctionDef],
    resolve: QualifiedNamesOf,
    settings: Settings,
    suppressed: Suppressed,
    hooks: Sequence[GainHook],
    coroutines: Coroutines,
) -> tuple[str, ...]:
    """Methods whose fix (by a codemod of ``hooks``) gives ``__init__`` the
    parameter."""
    found: list[str] = []
    for hook in hooks:
        if hook.constructor is None:
            continue
        found.extend(
            hook.constructor(
                node,
                methods,
                resolve,
                settings,
                partial(suppressed, hook.code),
                coroutines,
            )
        )
    return tuple(sorted(set(found)))
