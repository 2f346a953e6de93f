"""Whether the code a run migrates is a distribution (a library others install) or an
application: a library's public API has callers this run cannot see.

A distribution declares itself in the nearest project file at or above the run's root:
``[project]`` in ``pyproject.toml``, ``[metadata] name`` in ``setup.cfg``, or a
``setup.py`` calling ``setup(...)``. The first folder holding any of these decides.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

_SETUP_CALL = re.compile(r"\bsetup\s*\(")


def is_distribution(root: Path) -> bool:
    """Whether the nearest project file at or above ``root`` declares a distribution."""
    here = root.resolve()
    for folder in (here, *here.parents):
        files = [folder / name for name in ("pyproject.toml", "setup.cfg", "setup.py")]
        if not any(path.is_file() for path in files):
            continue
        return any(_declares(path) for path in files if path.is_file())
    return False


def _declares(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if path.name == "pyproject.toml":
        try:
            return "project" in tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return False
    if path.name == "setup.cfg":
        parser = configparser.ConfigParser()
        try:
            parser.read_string(text)
        except configparser.Error:
            return False
        return parser.has_option("metadata", "name")
    return _SETUP_CALL.search(text) is not None
