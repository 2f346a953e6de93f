"""``per-file-ignores``: which codes a file's path suppresses in the whole file (and
whether ``exclude`` matches a path given by name only, such as ``--stdin-filename``).

Each glob is matched like an ``exclude`` pattern (gitignore style, relative to the
configuration's directory): the codes it names are suppressed in every file it matches,
as if each line had ``# noqa: CODE``, so that a cross-file codemod treats the file as
it treats any suppressed line.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from codemods.core.settings import Settings

if TYPE_CHECKING:  # pathspec costs ~20 ms: imported when some glob is configured
    import pathspec

Pairs = tuple[tuple[str, tuple[str, ...]], ...]


def ignored_codes(settings: Settings, path: str | os.PathLike[str]) -> frozenset[str]:
    """The codes ``settings.per_file_ignores`` suppress in the file at ``path``."""
    if not settings.per_file_ignores:
        return frozenset()
    relative = _relative(settings, path)
    return frozenset(
        code
        for spec, codes in _compiled(settings.per_file_ignores)
        if spec.match_file(relative)
        for code in codes
    )


def excluded(settings: Settings, path: str | os.PathLike[str]) -> bool:
    """Whether ``settings.exclude`` matches the file at ``path``."""
    if not settings.exclude:
        return False
    return _spec(settings.exclude).match_file(_relative(settings, path))


def _relative(settings: Settings, path: str | os.PathLike[str]) -> str:
    """``path`` relative to the configuration's directory (absolute outside it), in
    the POSIX form globs are matched against."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(settings.root))
    if relative.split(os.sep)[0] == os.pardir:
        relative = absolute
    return relative.replace(os.sep, "/")


@lru_cache(maxsize=8)
def _compiled(
    pairs: Pairs,
) -> tuple[tuple[pathspec.GitIgnoreSpec, tuple[str, ...]], ...]:
    return tuple((_spec((glob,)), codes) for glob, codes in pairs)


@lru_cache(maxsize=8)
def _spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    import pathspec  # see the TYPE_CHECKING import

    return pathspec.GitIgnoreSpec.from_lines(globs)
