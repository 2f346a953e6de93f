"""Whether the code a run migrates is a distribution (a library others install) or an
application: a library's public API has callers this run cannot see.

A distribution declares itself in the nearest project file at or above the run's root:
``[project]`` in ``pyproject.toml``, ``[metadata] name`` in ``setup.cfg``, or a
``setup.py`` calling ``setup(...)``. The first folder holding any of these decides.
The files are read once (``project_files.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

from codemods.core import project_files
from codemods.core.project_files import ProjectFiles

_SETUP_CALL = re.compile(r"\bsetup\s*\(")


def is_distribution(root: Path) -> bool:
    """Whether the nearest project file at or above ``root`` declares a distribution."""
    here = root.resolve()
    for folder in (here, *here.parents):
        if not any((folder / name).is_file() for name in project_files.METADATA_FILES):
            continue
        return _declares(project_files.read(folder))
    return False


def _declares(files: ProjectFiles) -> bool:
    if "project" in files.pyproject:
        return True
    setup_cfg = files.setup_cfg
    if setup_cfg is not None and setup_cfg.has_option("metadata", "name"):
        return True
    return files.setup_py is not None and _SETUP_CALL.search(files.setup_py) is not None
