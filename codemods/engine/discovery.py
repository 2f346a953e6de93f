"""Paths given on the command line -> the sorted Python files to process.

Directories are walked honouring ``.gitignore`` files (the repository's, nested ones too)
and the ``exclude``/``include`` globs; tool and environment directories are always
skipped. A symbolic link named on the command line is followed (as Ruff does); one met
during the walk never is: a linked file inside the roots is processed where it really
lives, one pointing elsewhere is noted and left alone. FIFOs, sockets and devices are
noted, never opened. A path that does not exist, or a link that leads nowhere or in a
loop, is a usage error. The temporary files of an interrupted ``--write``
(``*.codemods-tmp``) are never taken, whatever ``include`` says.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.core.results import Skipped
from codemods.core.settings import Settings
from codemods.engine.paths import (
    ALWAYS_SKIPPED,
    TEMP_SUFFIX,
    check_paths,
    special_kind,
)

if TYPE_CHECKING:  # ~20 ms, imported only where a .gitignore is read (`_spec`)
    import pathspec

DEFAULT_INCLUDE = ("*.py",)


@dataclass(frozen=True)
class Discovered:
    # The files' paths, as strings (a warm run makes no Path of the files the cache
    # answers), and how each is shown (``display``), in the same order.
    paths: tuple[str, ...]
    shown: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    # Each path's module name (``module_name``), worked out during the walk.
    modules: Mapping[str, str] = field(default_factory=dict)

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(Path(path) for path in self.paths)

    @property
    def items(self) -> list[tuple[str, str]]:
        """(path, shown) of each file."""
        return list(zip(self.paths, self.shown, strict=True))


@dataclass(frozen=True)
class _Ignore:
    """One .gitignore file's patterns, relative to the directory holding it."""

    base: str
    spec: pathspec.GitIgnoreSpec

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by a `!` pattern, None: not mentioned."""
        relative = _below(path, self.base)
        if relative is None:
            return None
        return self.spec.check_file(relative + "/" if is_dir else relative).include


def _below(path: str, base: str) -> str | None:
    """``path`` relative to the directory ``base`` (POSIX form), if it is below it."""
    # Strings, not Path.relative_to: asked of every entry of the tree.
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix) :]
    return rest if os.sep == "/" else rest.replace(os.sep, "/")


def display(path: str | Path, cwd: str | None = None) -> str:
    """How a path is shown: relative to the working directory (``cwd``, by default the
    current one) when below it."""
    # String work, not Path.relative_to: it is asked for every file of the tree.
    text = os.fspath(path)
    cwd = os.getcwd() if cwd is None else cwd
    if text == cwd:
        return "."
    relative = _below(text, cwd)
    return Path(text).as_posix() if relative is None else relative


def _shower(cwd: str) -> Callable[[str], str]:
    """``display`` for many paths under one working directory: a slice for the usual
    path below it (asked of every file of the tree), ``display`` for any other."""
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if os.sep != "/":
        return partial(display, cwd=cwd)

    def show(path: str) -> str:
        if path.startswith(prefix):
            return path[len(prefix) :]
        return display(path, cwd)

    return show


def discover(paths: Sequence[Path], settings: Settings) -> Discovered:
    """The files to process under ``paths``, sorted by displayed path, without duplicates."""
    walker = _Walker(settings)
    check_paths(paths)
    roots = [Path(os.path.abspath(p)) for p in paths]
    walker.roots = [Path(os.path.realpath(root)) for root in roots]
    for root in roots:
        if root.is_dir():  # a link to a directory, named here, is followed
            walker.walk(root)
        else:
            walker.take_explicit(root)
    show = _shower(os.getcwd())
    ordered = sorted((show(path), path) for path in walker.files.values())
    return Discovered(
        tuple(path for _, path in ordered),
        tuple(shown for shown, _ in ordered),
        tuple(sorted(walker.skipped, key=lambda skipped: skipped.path)),
        walker.modules,
    )


class _Walker:
    def __init__(self, settings: Settings) -> None:
        # The directory exclude/include globs are relative to.
        self.base = str(Path(settings.root))
        # None: no patterns (pathspec is imported only when some are given).
        self.exclude = _spec(settings.exclude) if settings.exclude else None
        self.include = (
            _spec((*DEFAULT_INCLUDE, *settings.include)) if settings.include else None
        )
        self.force_exclude = settings.force_exclude
        self.roots: list[Path] = []
        # Each file once: its path as a string (real, when named on the command line).
        self.files: dict[str, str] = {}
        self.modules: dict[str, str] = {}
        self.skipped: list[Skipped] = []

    # -- filters -------------------------------------------------------------------------

    def _relative(self, path: str) -> str:
        relative = _below(path, self.base)
        return Path(path).as_posix() if relative is None else relative

    def _excluded(self, path: str, is_dir: bool) -> bool:
        if self.exclude is None or not self.exclude.patterns:
            return False
        relative = self._relative(path) + ("/" if is_dir else "")
        return self.exclude.match_file(relative)

    def _included(self, name: str, path: str) -> bool:
        if self.include is None:
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
        mode = real.stat().st_mode
        if not stat.S_ISREG(mode):
            self._note_special(str(path), mode)
            return
        if real.name.endswith(TEMP_SUFFIX):
            self.skipped.append(
                Skipped(display(path), "temporary file of an interrupted write")
            )
            return
        # Like Ruff: a file named on the command line is excluded only with
        # force-exclude (e.g. for tools that pass every changed file).
        if self.force_exclude and self._excluded(str(path), is_dir=False):
            return
        self.files.setdefault(str(real), str(real))
        self.modules.setdefault(str(real), module_name(real))

    def walk(self, root: Path) -> None:
        ignores = list(_ancestor_ignores(root))
        above = None if root.parent == root else _package_dir_name(str(root.parent))
        self._walk_dir(str(root), ignores, above, root=True)

    def _walk_dir(
        self,
        directory: str,
        ignores: list[_Ignore],
        parent_package: str | None,
        *,
        root: bool = False,
    ) -> None:
        # Strings, not Paths, until a file is taken: a warm run is mostly this walk.
        try:
            # In directory order: the files are sorted once, at the end.
            entries = list(os.scandir(directory))
        except OSError as exc:
            self.skipped.append(Skipped(display(Path(directory)), _reason(exc)))
            return
        # What the directory holds decides, not one lookup per possible name: most
        # directories have no .gitignore, no __init__.py, and are no virtual env.
        names = {entry.name: entry for entry in entries}
        if not root and _is_virtual_env(names.get("pyvenv.cfg")):
            return
        if ".gitignore" in names:
            own = _load_ignore(directory)
            if own is not None:
                ignores = [*ignores, own]
        init = names.get("__init__.py")
        package = None
        if init is not None and _is_file(init):
            name = os.path.basename(directory)
            package = name if parent_package is None else f"{parent_package}.{name}"
        # With no pattern to match, a file is taken on its name alone.
        unfiltered = not ignores and self.exclude is None and self.include is None
        for entry in entries:
            path = entry.path
            if entry.is_symlink():
                self._note_symlink(Path(path))
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                self.skipped.append(Skipped(display(Path(path)), _reason(exc)))
                continue
            if is_dir:
                if entry.name in ALWAYS_SKIPPED:
                    continue
                if _ignored(ignores, path, True) or self._excluded(path, is_dir=True):
                    continue
                self._walk_dir(path, ignores, package)
            elif (
                entry.name.endswith(".py")
                if unfiltered
                else self._takes(entry.name, path, ignores)
            ):
                if not _is_file(entry, follow_symlinks=False):
                    self._note_special(path)
                    continue
                self.files.setdefault(path, path)
                self.modules[path] = _module_in(package, directory, entry.name)

    def _takes(self, name: str, path: str, ignores: Sequence[_Ignore]) -> bool:
        """Whether the walk takes the file ``name`` at ``path`` (patterns apply)."""
        if name.endswith(TEMP_SUFFIX):
            return False  # left by a run killed mid-write: never source
        return (
            self._included(name, path)
            and not _ignored(ignores, path, False)
            and not self._excluded(path, is_dir=False)
        )

    def _note_special(self, path: str, mode: int | None = None) -> None:
        """A FIFO, socket or device where a file was expected: noted, never opened
        (opening a FIFO waits for a writer)."""
        if mode is None:
            try:
                mode = os.lstat(path).st_mode
            except OSError as exc:
                self.skipped.append(Skipped(display(path), _reason(exc)))
                return
        reason = f"{special_kind(mode)}, not a regular file: not read"
        self.skipped.append(Skipped(display(path), reason))

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


def _ignored(ignores: Sequence[_Ignore], path: str, is_dir: bool) -> bool:
    ignored = False
    for ignore in ignores:
        verdict = ignore.verdict(path, is_dir)
        if verdict is not None:
            ignored = verdict
    return ignored


@lru_cache(maxsize=4096)
def _load_ignore(directory: str) -> _Ignore | None:
    candidate = os.path.join(directory, ".gitignore")
    try:
        with open(candidate, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    return _Ignore(directory, _spec(lines))


def _ancestor_ignores(root: Path) -> Iterator[_Ignore]:
    """.gitignore files between the enclosing repository's top and ``root`` (exclusive);
    none when ``root`` is a repository's top itself (as git, a repository inside another
    obeys only its own)."""
    if (root / ".git").exists():
        return
    chain: list[Path] = []
    for directory in root.parents:
        chain.append(directory)
        if (directory / ".git").exists():
            break
    else:
        return
    for directory in reversed(chain):
        found = _load_ignore(str(directory))
        if found is not None:
            yield found
    exclude_file = chain[-1] / ".git" / "info" / "exclude"
    if exclude_file.is_file():
        lines = exclude_file.read_text(encoding="utf-8", errors="replace").splitlines()
        yield _Ignore(str(chain[-1]), _spec(lines))


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # ~20 ms, and most runs are in trees with no pattern to match

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _is_virtual_env(marker: os.DirEntry[str] | None) -> bool:
    """Whether a directory's ``pyvenv.cfg`` entry makes it a virtual environment (a
    link to one counts when it leads somewhere, as ``os.path.exists`` says)."""
    if marker is None:
        return False
    return not marker.is_symlink() or os.path.exists(marker.path)


def _is_file(entry: os.DirEntry[str], *, follow_symlinks: bool = True) -> bool:
    try:
        return entry.is_file(follow_symlinks=follow_symlinks)
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


@lru_cache(maxsize=4096)
def _package_dir_name(directory: str) -> str | None:
    """The dotted package name of ``directory``, or None if it is not a package."""
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return None
    parent_dir, name = os.path.split(directory)
    parent = _package_dir_name(parent_dir) if parent_dir != directory else None
    return name if parent is None else f"{parent}.{name}"


def module_name(path: str | Path) -> str:
    """The dotted module name Python would import ``path`` as, from its package chain."""
    directory, name = os.path.split(os.fspath(path))
    return _module_in(_package_dir_name(directory), directory, name)


def _module_in(package: str | None, directory: str, name: str) -> str:
    """The module name of ``name``, a file of ``directory`` (in package ``package``)."""
    stem = name.removesuffix(".pyi").removesuffix(".py")
    if stem == "__init__":
        return package or os.path.basename(directory)
    return stem if package is None else f"{package}.{stem}"
