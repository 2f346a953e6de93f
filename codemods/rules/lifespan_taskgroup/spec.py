"""TG005 lifespan-taskgroup, as the engine knows it without LibCST (see
``codemod.py``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from codemods.core.asyncio_names import TASKGROUP
from codemods.core.settings import Settings
from codemods.rules.specs import (
    ASYNCIO_311,
    CodemodSpec,
    Option,
    encoded,
    with_aliases,
)

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.relevance import Seen


# FastAPI's `Depends(f)`, which TG005 may point at the wrapper passing `f` the root.
DEPENDS = "Depends"


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A TaskGroup in scope is spelled: ``asyncio.TaskGroup()`` or an annotation; or
    a FastAPI dependency."""
    return encoded((TASKGROUP, DEPENDS))


def relevant(seen: Seen, settings: Settings) -> bool:
    """A TaskGroup in scope: ``async with TaskGroup() as name`` or a parameter
    annotated with ``TaskGroup`` (also quoted). Without one there is nothing to pass,
    whatever the index answers; but for ``Depends(f)``, where the index may say that
    ``f`` takes one through a wrapper (``dependencies.py``)."""
    return (
        seen.calls(seen.entered | seen.annotating, {TASKGROUP})
        or DEPENDS in seen.identifiers
    )


def words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # Only a function holding a TaskGroup (its parameter, its `async with`) has
    # calls to pass one to; one spelling `Depends` may take a wrapped dependency.
    found = (*with_aliases((TASKGROUP,), text), DEPENDS)
    if text is None or _keeping(settings).search(text) is None:
        return found
    # A class whose synchronous lifecycle method TG002 converts (or has converted) may
    # keep the TaskGroup as `self.tg`, which any of its methods passes on.
    return (*found, "self")


def _keeping(settings: Settings) -> re.Pattern[str]:
    return _keeping_pattern(settings.lifecycle_methods, settings.taskgroup_param)


@lru_cache(maxsize=8)
def _keeping_pattern(methods: tuple[str, ...], param: str) -> re.Pattern[str]:
    """A synchronous lifecycle method's header, or ``self.tg = tg``."""
    names = "|".join(map(re.escape, methods)) or "(?!)"
    stored = rf"self\.{re.escape(param)}[ \t]*=[ \t]*{re.escape(param)}\b"
    return re.compile(
        rf"^[ \t]+(?:def[ \t]+(?:{names})[ \t]*\(|{stored})", re.MULTILINE
    )


SPEC = CodemodSpec(
    code="TG005",
    package=__package__,
    description="Pass the TaskGroup in scope to callees that accept one",
    fix_safety="unsafe",
    requires_python=ASYNCIO_311,
    triggers=triggers,
    question=relevant,
    words=words,
    uses_index=True,
    options=(
        Option(
            "accepting",
            list,
            (),
            "callables from outside the project that accept the TaskGroup "
            "parameter, by qualified name, e.g. 'workers.start_pool'",
            scope="accepting",
        ),
    ),
    examples=("lifespan_passing_its_taskgroup_down", "a_callee_without_a_parameter"),
)
