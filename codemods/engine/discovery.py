"""Paths given on the command line -> the sorted Python files to process.

Directories are walked honouring ``.gitignore`` files (the repository's, nested ones too)
and the ``exclude``/``include`` globs; tool and environment directories are always
skipped. Symbolic links are never followed: a linked file inside the roots is processed
where it really lives, one pointing elsewhere is noted and left alone. The temporary
files of an interrupted ``--write`` (``*.codemods-tmp``) are never taken, whatever
``include`` says.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pathspec

from codemods.config import ConfigError, Settings
from codemods.engine.results import Skipped
from codemods.engine.writer import TEMP_SUFFIX

ALWAYS_SKIPPED = frozenset(
    {
        ".git", ".hg", ".svn", "__pycache__", "build", "dist", "node_modules",
        ".venv", "venv", ".tox", ".nox", ".eggs", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".codemods_cache",
    }
)  # fmt: skip
DEFAULT_INCLUDE = ("*.py",)


@dataclass(frozen=True)
class Discovered:
    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class _Ignore:
    """One .gitignore file's patterns, relative to the directory holding it."""

    base: Path
    spec: pathspec.GitIgnoreSpec

    def verdict(self, path: Path, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by a `!` pattern, None: not mentioned."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        return self.spec.check_file(relative + "/" if is_dir else relative).include


def display(path: Path) -> str:
    """How a path is shown: relative to the working directory when below it."""
    # String work, not Path.relative_to: it is asked for every file of the tree, twice.
    text, cwd = str(path), os.getcwd()
    if text == cwd:
        return "."
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if text.startswith(prefix):
        rest = text[len(prefix) :]
        return rest if os.sep == "/" else rest.replace(os.sep, "/")
    return path.as_posix()


def discover(paths: Sequence[Path], settings: Settings) -> Discovered:
    """The files to process under ``paths``, sorted by displayed path, without duplicates."""
    walker = _Walker(settings)
    for given in paths:
        if not given.exists() and not given.is_symlink():
            raise ConfigError(f"{given}: no such file or directory")
    roots = [Path(os.path.abspath(p)) for p in paths]
    walker.roots = [Path(os.path.realpath(root)) for root in roots]
    for root in roots:
        if root.is_dir() and not root.is_symlink():
            walker.walk(root)
        else:
            walker.take_explicit(root)
    files = sorted(walker.files.values(), key=display)
    return Discovered(tuple(files), tuple(walker.skipped))


class _Walker:
    def __init__(self, settings: Settings) -> None:
        base = Path(settings.root)
        self.base = base
        self.exclude = pathspec.GitIgnoreSpec.from_lines(settings.exclude)
        patterns = (*DEFAULT_INCLUDE, *settings.include)
        self.include = pathspec.GitIgnoreSpec.from_lines(patterns)
        self.only_py = not settings.include
        self.roots: list[Path] = []
        self.files: dict[str, Path] = {}
        self.skipped: list[Skipped] = []

    # -- filters -------------------------------------------------------------------------

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return path.as_posix()

    def _excluded(self, path: Path, is_dir: bool) -> bool:
        if not self.exclude.patterns:
            return False
        relative = self._relative(path) + ("/" if is_dir else "")
        return self.exclude.match_file(relative)

    def _included(self, name: str, path: Path) -> bool:
        if self.only_py:
            return name.endswith(".py")
        return self.include.match_file(self._relative(path)) or self.include.match_file(
            name
        )

    def _inside_roots(self, real: Path) -> bool:
        return any(real == root or root in real.parents for root in self.roots)

    # -- walking ---------------------------------------------------------------------------

    def take_explicit(self, path: Path) -> None:
        """A file named on the command line: taken even if .gitignore lists it."""
        real = Path(os.path.realpath(path))
        if not real.is_file():
            self.skipped.append(Skipped(display(path), "not a regular file"))
            return
        if real.name.endswith(TEMP_SUFFIX):
            self.skipped.append(
                Skipped(display(path), "temporary file of an interrupted write")
            )
            return
        if self._excluded(path, is_dir=False):
            return
        self.files.setdefault(str(real), real)

    def walk(self, root: Path) -> None:
        ignores = list(_ancestor_ignores(root))
        self._walk_dir(root, ignores)

    def _walk_dir(self, directory: Path, ignores: list[_Ignore]) -> None:
        own = _load_ignore(directory)
        if own is not None:
            ignores = [*ignores, own]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            self.skipped.append(Skipped(display(directory), _reason(exc)))
            return
        for entry in entries:
            path = directory / entry.name
            if entry.is_symlink():
                self._note_symlink(path)
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                self.skipped.append(Skipped(display(path), _reason(exc)))
                continue
            if is_dir:
                if entry.name in ALWAYS_SKIPPED or (path / "pyvenv.cfg").exists():
                    continue
                if _ignored(ignores, path, True) or self._excluded(path, is_dir=True):
                    continue
                self._walk_dir(path, ignores)
            elif entry.name.endswith(TEMP_SUFFIX):
                continue  # left by a run killed mid-write: never source
            elif self._included(entry.name, path):
                if _ignored(ignores, path, False) or self._excluded(path, is_dir=False):
                    continue
                self.files.setdefault(str(path), path)

    def _note_symlink(self, path: Path) -> None:
        try:
            real = path.resolve(strict=True)
        except RuntimeError:  # a loop, before Python 3.13
            self.skipped.append(Skipped(display(path), "symlink loop, not followed"))
            return
        except OSError as exc:  # a loop is ELOOP from Python 3.13 on
            kind = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
            self.skipped.append(Skipped(display(path), f"{kind}, not followed"))
            return
        if not self._inside_roots(real):
            self.skipped.append(
                Skipped(
                    display(path), "symlink pointing outside the root, not followed"
                )
            )
        # A link to something inside the roots is not followed either: its target is
        # processed where it lives, so no file is ever written through a link.


def _ignored(ignores: Sequence[_Ignore], path: Path, is_dir: bool) -> bool:
    ignored = False
    for ignore in ignores:
        verdict = ignore.verdict(path, is_dir)
        if verdict is not None:
            ignored = verdict
    return ignored


@lru_cache(maxsize=4096)
def _load_ignore(directory: Path) -> _Ignore | None:
    candidate = directory / ".gitignore"
    try:
        lines = candidate.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _Ignore(directory, pathspec.GitIgnoreSpec.from_lines(lines))


def _ancestor_ignores(root: Path) -> Iterator[_Ignore]:
    """.gitignore files between the enclosing repository's top and ``root`` (exclusive)."""
    chain: list[Path] = []
    for directory in root.parents:
        chain.append(directory)
        if (directory / ".git").exists():
            break
    else:
        return
    for directory in reversed(chain):
        found = _load_ignore(directory)
        if found is not None:
            yield found
    exclude_file = chain[-1] / ".git" / "info" / "exclude"
    if exclude_file.is_file():
        lines = exclude_file.read_text(encoding="utf-8", errors="replace").splitlines()
        yield _Ignore(chain[-1], pathspec.GitIgnoreSpec.from_lines(lines))


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


@lru_cache(maxsize=4096)
def _package_dir_name(directory: Path) -> str | None:
    """The dotted package name of ``directory``, or None if it is not a package."""
    if not (directory / "__init__.py").is_file():
        return None
    parent = _package_dir_name(directory.parent)
    return directory.name if parent is None else f"{parent}.{directory.name}"


def module_name(path: Path) -> str:
    """The dotted module name Python would import ``path`` as, from its package chain."""
    package = _package_dir_name(path.parent)
    stem = path.name.removesuffix(".pyi").removesuffix(".py")
    if stem == "__init__":
        return package or path.parent.name
    return stem if package is None else f"{package}.{stem}"
