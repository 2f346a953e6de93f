"""TG005 lifespan-taskgroup, as the engine knows it without LibCST (see
``codemod.py``)."""

from __future__ import annotations

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


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A TaskGroup in scope is spelled: ``asyncio.TaskGroup()`` or an annotation."""
    return encoded((TASKGROUP,))


def relevant(seen: Seen, settings: Settings) -> bool:
    """A TaskGroup in scope: ``async with TaskGroup() as name`` or a parameter
    annotated with ``TaskGroup`` (also quoted). Without one there is nothing to pass,
    whatever the index answers."""
    return seen.calls(seen.entered | seen.annotating, {TASKGROUP})


def words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # Only a function holding a TaskGroup (its parameter, its `async with`) has
    # calls to pass one to.
    return with_aliases((TASKGROUP,), text)


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
