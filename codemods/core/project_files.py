"""The files a project describes itself in, read once per folder, never run.

``pyproject.toml``, ``setup.cfg``, ``setup.py`` (its text, for ``ast``), Ruff's own
``ruff.toml``/``.ruff.toml`` and an unpacked sdist's ``PKG-INFO``: what the project
declares (``declared.py``: its Python, line length, import order) and whether it is a
distribution (``distribution.py``) are answered from one reading. A folder's reading
is kept while none of its files changes (size and modification time), so a run asks
as often as it likes and a later run in the same process sees an edited file.

A missing or unreadable file reads as absent, and one that is not valid TOML or INI
as empty: a file this tool only takes hints from is never a reason to stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when read (below)
    import configparser
    from email.message import Message

RUFF_FILES = (".ruff.toml", "ruff.toml")
METADATA_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
FILES = (*METADATA_FILES, *RUFF_FILES, "PKG-INFO")

# A file's identity for the cache: (size, modification time), None when absent.
_Stamp = tuple[int, int] | None


@dataclass(frozen=True)
class ProjectFiles:
    """What the project files of one folder hold."""

    folder: Path
    # Which of ``FILES`` are there (whatever they hold).
    present: frozenset[str] = frozenset()
    pyproject: dict[str, Any] = field(default_factory=dict)
    # None: no ``setup.cfg``, or one that is not valid INI.
    setup_cfg: configparser.ConfigParser | None = None
    setup_py: str | None = None
    # Ruff's own files present, in Ruff's order of precedence, each as a document.
    ruff_files: tuple[tuple[str, dict[str, Any]], ...] = ()
    # The ``Requires-Python`` and ``Classifier`` headers of an sdist's ``PKG-INFO``.
    pkg_info_python: str | None = None
    pkg_info_classifiers: tuple[str, ...] = ()

    def path(self, name: str) -> Path:
        return self.folder / name

    def has(self, name: str) -> bool:
        return name in self.present

    def tool(self, name: str) -> dict[str, Any]:
        """``[tool.<name>]`` of ``pyproject.toml`` ({} when there is none)."""
        tool = self.pyproject.get("tool")
        table = tool.get(name) if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else {}

    def setup_cfg_value(self, section: str, key: str) -> str | None:
        parser = self.setup_cfg
        if parser is None:
            return None
        value = parser.get(section, key, fallback=None)
        return None if value is None else value.strip()


_READ: dict[Path, tuple[tuple[_Stamp, ...], ProjectFiles]] = {}


def read(folder: Path) -> ProjectFiles:
    """The project files of ``folder`` (read again only when one of them changed)."""
    folder = folder.resolve()
    stamps = tuple(_stamp(folder / name) for name in FILES)
    kept = _READ.get(folder)
    if kept is not None and kept[0] == stamps:
        return kept[1]
    files = _read(folder, stamps)
    _READ[folder] = (stamps, files)
    return files


def _stamp(path: Path) -> _Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return stat.st_size, stat.st_mtime_ns


def _headers(pkg_info: str) -> Message:
    """The headers of an sdist's ``PKG-INFO``."""
    # Imported here: ``email`` (with ``socket``, ``calendar``, ...) is a tenth of the
    # command line's start, and a checkout has no ``PKG-INFO``.
    from email.parser import HeaderParser

    return HeaderParser().parsestr(pkg_info)


def _read(folder: Path, stamps: tuple[_Stamp, ...]) -> ProjectFiles:
    present = frozenset(
        name for name, s in zip(FILES, stamps, strict=True) if s is not None
    )
    ruff = []
    for name in RUFF_FILES:
        if name in present:
            ruff.append((name, _toml(folder / name)))
    pkg_info = _text(folder / "PKG-INFO") if "PKG-INFO" in present else None
    headers = None if pkg_info is None else _headers(pkg_info)
    requires = None if headers is None else headers.get("Requires-Python")
    classifiers = () if headers is None else headers.get_all("Classifier", [])
    return ProjectFiles(
        folder=folder,
        present=present,
        pyproject=_toml(folder / "pyproject.toml")
        if "pyproject.toml" in present
        else {},
        setup_cfg=_ini(folder / "setup.cfg") if "setup.cfg" in present else None,
        setup_py=_text(folder / "setup.py") if "setup.py" in present else None,
        ruff_files=tuple(ruff),
        pkg_info_python=None if requires is None else str(requires).strip(),
        pkg_info_classifiers=tuple(str(value).strip() for value in classifiers),
    )


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _toml(path: Path) -> dict[str, Any]:
    text = _text(path)
    if text is None:
        return {}
    import tomllib  # only where a TOML file exists (~3 ms of a warm run's start)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _ini(path: Path) -> configparser.ConfigParser | None:
    text = _text(path)
    if text is None:
        return None
    import configparser  # only where a setup.cfg is read (~2 ms of a run's start)

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error:
        return None
    return parser
