"""TG002 sync-start, as the engine knows it without LibCST (see ``codemod.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemods.core.asyncio_names import SPAWN_FUNCTIONS
from codemods.core.settings import Settings
from codemods.rules.specs import ASYNCIO_311, CodemodSpec, Option, encoded

if TYPE_CHECKING:  # annotations only: no warm run judges a file
    from codemods.analysis.relevance import Seen


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A lifecycle method TG002 converts spawns: by tracker or by asyncio. Its callers
    in other files are found by the words the project index adds in later rounds."""
    return encoded((*settings.tracker_names, *SPAWN_FUNCTIONS))


def relevant(seen: Seen, settings: Settings) -> bool:
    """A lifecycle method that spawns (by asyncio or a tracker): where the project
    index's lifecycle families start from."""
    return seen.calls(seen.in_lifecycle, {*SPAWN_FUNCTIONS, *settings.tracker_names})


def reachable(seen: Seen, settings: Settings) -> bool:
    """A lifecycle method's name as an identifier: its call sites, ``.start``, and the
    overrides that convert with a base in another file."""
    return not seen.identifiers.isdisjoint(settings.lifecycle_methods)


def words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # A lifecycle method spells its name, and so does every call of one.
    return settings.lifecycle_methods


SPEC = CodemodSpec(
    code="TG002",
    package=__package__,
    description="Make lifecycle methods that spawn tasks async, taking a TaskGroup",
    fix_safety="unsafe",
    requires_python=ASYNCIO_311,
    triggers=triggers,
    question=relevant,
    reach=reachable,
    words=words,
    uses_index=True,
    options=(
        Option(
            "safe-bases",
            list,
            (),
            "base classes from outside the project that define no lifecycle "
            "method, e.g. 'pydantic.BaseModel'; other outside bases keep a "
            "family from being converted",
            scope="safe_bases",
        ),
        Option(
            "convert-public-api",
            bool,
            False,
            "in a distribution (`[project]` in pyproject.toml, setup.cfg or setup.py), "
            "also convert public methods of public classes and modules, whose "
            "callers outside the repository would have to await them",
            scope="convert_public_api",
        ),
    ),
    examples=("lifecycle_method_and_its_caller", "a_threads_start"),
)
