"""What each kind of path gets: a path named on the command line must lead somewhere,
a file the tool makes must not replace the tree's sources or its own files, and a FIFO,
socket or device is named for what it is (``discovery`` notes it, never opens it)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from codemods.core.settings import ConfigError, Settings

# The writer's temporary files (``writer.py``) never end in .py, so a run killed
# mid-write leaves nothing that a later run would take for source; the walk never takes
# them. Here, not in the writer: a warm run imports no writer.
TEMP_SUFFIX = ".codemods-tmp"
ALWAYS_SKIPPED = frozenset(
    {
        ".git", ".hg", ".svn", "__pycache__", "build", "dist", "node_modules",
        ".venv", "venv", ".tox", ".nox", ".eggs", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".codemods_cache",
    }
)  # fmt: skip


def check_paths(paths: Sequence[Path]) -> None:
    """Raise ``ConfigError`` (one line) for a path that does not exist, or a link that
    leads nowhere or in a loop."""
    for given in paths:
        try:
            os.stat(given)
        except OSError as exc:
            raise ConfigError(f"{given}: {_path_problem(given, exc)}") from None


def _path_problem(given: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if os.path.islink(given):
        return "dangling symbolic link (its target does not exist)"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return _reason(exc)


# Files and directories a tree keeps for itself: an output of the tool never replaces
# them, nor writes into them.
OWN_FILES = frozenset(
    {"pyproject.toml", "setup.cfg", "setup.py", ".gitignore", "CACHEDIR.TAG"}
)
OWN_DIRECTORIES = frozenset({".git", ".hg", ".svn", ".codemods_cache"})


def check_output(path: Path, option: str, settings: Settings) -> None:
    """Raise ``ConfigError`` if a file the tool makes (``--patch``, ``--out``) would
    replace a directory, a Python source (or any file the run would take), or one of
    the tree's own files (its configuration, ignore files, git or cache directory)."""
    real = Path(os.path.realpath(path))
    problem = None
    if real.is_dir():
        problem = "is a directory"
    elif real.suffix in (".py", ".pyi", ".pyw") or _taken(real, settings):
        problem = "is a Python source"
    elif (
        real.name in OWN_FILES
        or str(real) == settings.config_path
        or not OWN_DIRECTORIES.isdisjoint(real.parent.parts)
    ):
        problem = "is one of the tree's own files"
    if problem is not None:
        raise ConfigError(f"{option} {path}: {problem}; not overwritten")


# What a directory entry that is neither a file nor a directory is, for its note.
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def special_kind(mode: int) -> str:
    return next((kind for test, kind in _SPECIAL_KINDS if test(mode)), "not a file")


def _taken(real: Path, settings: Settings) -> bool:
    """Whether the ``include`` globs would take the file ``real`` for source."""
    if not settings.include:
        return False
    import pathspec  # ~20 ms, only when an output is checked against such globs

    spec = pathspec.GitIgnoreSpec.from_lines(settings.include)
    return spec.match_file(real.name) or spec.match_file(real.as_posix())


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
