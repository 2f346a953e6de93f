"""``codemods demo``: the migration of the bundled legacy application, on a copy.

What the README's first command shows from a checkout (``codemods run
fixtures/legacy_app``), for anyone who installed the wheel: the bundled app is copied
to a directory of its own (a new temporary one unless given), and the dry run is made
there, so the diff names the app's own paths and nothing is written, neither in the
copy nor inside the installed package. The copy stays, to be applied or validated.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from codemods import session
from codemods.core.results import ExitCode
from codemods.core.settings import ConfigError
from codemods.engine.reporting.terminal import Terminal
from codemods.validate.bundle import default_path

COPY = "legacy_app"


def demo(directory: Path | None, terminal: Terminal, *, quiet: bool = False) -> int:
    try:
        source = default_path()
        root = _destination(directory)
    except ConfigError as exc:
        terminal.message(f"codemods: error: {exc}", "red")
        return ExitCode.USAGE
    shutil.copytree(
        source, root / COPY, ignore=shutil.ignore_patterns("__pycache__", ".*_cache")
    )
    invocation = session.Invocation(
        paths=(Path(COPY),),
        config_file=None,
        overrides={},
        output_format="text",
        jobs=None,
        cache=None,
        quiet=quiet,
    )
    # Paths in the diff are shown relative to the working directory: the copy's.
    here = Path.cwd()
    os.chdir(root)
    try:
        code = session.execute(invocation, terminal, mode="run")
    finally:
        os.chdir(here)
    copy = root / COPY
    terminal.message(
        f"codemods: the bundled legacy app, copied to {copy}: the diff above is its "
        f"migration; `codemods run --write {copy}` applies it, "
        f"`codemods validate {copy}` checks it"
    )
    return code


def _destination(directory: Path | None) -> Path:
    """An empty directory for the copy (made if need be)."""
    if directory is None:
        return Path(tempfile.mkdtemp(prefix="codemods-demo-")).resolve()
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ConfigError(f"{directory}: not an empty directory")
    directory.mkdir(parents=True, exist_ok=True)
    return directory.resolve()
