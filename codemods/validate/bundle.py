"""Where the bundled apps (the legacy app, herald), the reference and their test suites
live.

They keep this repository's layout (``fixtures/legacy_app``, ``target_reference``,
``tests/conformance``) in both places they can be: a wheel carries them under
``codemods/_bundled/`` (``setup.py`` copies them there); a source checkout or an
editable install reads them from the checkout itself. ``{bundle}`` in a
``[tool.codemods.validate]`` value names that directory, so the bundled app's
configuration works from a copy of it placed anywhere.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from codemods.core.settings import ConfigError

PACKAGE = Path(__file__).resolve().parents[1]
LEGACY_APP = Path("fixtures", "legacy_app")
# herald: an app in the state real services are in before migrating (issue 21).
REALISTIC_APP = Path("fixtures", "realistic_app")


def bundle_root() -> Path:
    """The directory holding ``fixtures/``, ``target_reference/`` and ``tests/``."""
    for candidate in (PACKAGE / "_bundled", PACKAGE.parent):
        if (candidate / LEGACY_APP).is_dir():
            return candidate
    raise ConfigError(
        f"the bundled legacy app is missing (looked in {PACKAGE / '_bundled'} and "
        f"{PACKAGE.parent}): reinstall taskgroup-codemods or pass a PATH"
    )


def default_path() -> Path:
    """The bundled legacy app, the first of ``default_paths``."""
    return bundle_root() / LEGACY_APP


def default_paths() -> tuple[Path, ...]:
    """What ``codemods validate`` validates when given no PATH: both bundled apps."""
    root = bundle_root()
    return (root / LEGACY_APP, root / REALISTIC_APP)


def expand(value: str, placeholders: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders; other braces stay as written (a test command
    may well contain some)."""
    for name, replacement in placeholders.items():
        value = value.replace("{" + name + "}", replacement)
    return value


def placeholders(root: Path) -> dict[str, str]:
    """The placeholders of ``[tool.codemods.validate]`` values, for a migrated copy at
    ``root``: ``{python}`` (this interpreter), ``{root}`` and ``{bundle}``."""
    values = {"python": sys.executable, "root": str(root)}
    try:
        values["bundle"] = str(bundle_root())
    except ConfigError:
        pass  # only an error where a value actually uses {bundle}
    return values
