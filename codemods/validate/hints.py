"""One line that says what to install when a gate failed for want of a module.

mypy's "Cannot find implementation or library stub for module named X" and Python's
"No module named X" in a gate's output mean the environment, not the migration, is
missing something: the bundled application needs the ``[reference]`` extra; another
project needs its own dependencies installed where ``codemods`` runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from codemods.validate.results import GateResult

_MISSING = re.compile(
    r"""(?:Cannot find implementation or library stub for module named|"""
    r"""No module named)\s+["']?(?P<module>[\w.]+)"""
)
EXTRA = "taskgroup-codemods[reference]"


def missing_modules(results: Sequence[GateResult]) -> list[str]:
    """Top-level names of the modules the failed gates could not find, in order."""
    found: dict[str, None] = {}
    for result in results:
        if result.status != "failed":
            continue
        for match in _MISSING.finditer(f"{result.summary}\n{result.details}"):
            found.setdefault(match.group("module").split(".")[0])
    return list(found)


def hint(results: Sequence[GateResult], *, bundled: bool) -> str | None:
    """The hint for ``results`` (None: no gate failed for a missing module)."""
    missing = missing_modules(results)
    if not missing:
        return None
    names = ", ".join(missing)
    if bundled:
        return (
            f"hint: {names} not installed: the bundled application needs the"
            f" [reference] extra: pip install '{EXTRA}'"
        )
    return (
        f"hint: {names} not installed: install the project's dependencies in the"
        " environment that runs codemods"
    )
