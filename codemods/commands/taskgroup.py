"""Every codemod that can run on one file alone, by its class name (see the package).

Built from the registry, so a new codemod is offered here without another line.
"""

from __future__ import annotations

from codemods.rules.codemod import codemod_class
from codemods.rules.registry import CODEMODS

__all__: list[str] = []

for _spec in CODEMODS:
    if _spec.whole_run_reason is None:
        globals()[_spec.class_name] = codemod_class(_spec)
        __all__.append(_spec.class_name)
