"""This repository as a package is built from: a copy of what its sdist holds.

Tests that build a wheel or let pre-commit install the hook work on such a copy, so that
they see the working tree as it is (uncommitted changes too) and never write into it.
Those that install it are opt-in (``opt_in``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LEGACY_APP = REPO / "fixtures" / "legacy_app"
REFERENCE = REPO / "target_reference"
# What MANIFEST.in puts in the sdist (a test compares the two).
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    ".pre-commit-hooks.yaml",
    "codemods",
    "docs",
    # What setup.py bundles into the wheel is among these.
    "fixtures",
    "target_reference",
    "tests",
    "benchmarks",
)
CACHES = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".*_cache", "*.egg-info", ".hypothesis", "corpus*"
)


def copy_sources(destination: Path) -> Path:
    for relative in SOURCES:
        source, copy = REPO / relative, destination / relative
        if source.is_dir():
            shutil.copytree(source, copy, ignore=CACHES)
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
    return destination


def copy_tree(source: Path, destination: Path) -> Path:
    """A copy of an application tree (the legacy app, the reference), no caches."""
    shutil.copytree(source, destination, ignore=CACHES)
    return destination


def git_repository(root: Path) -> Path:
    """Make ``root`` a git repository with everything in it committed."""
    identity = ["-c", "user.name=tests", "-c", "user.email=tests@example.invalid"]
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        [*identity, "commit", "-q", "--no-verify", "-m", "snapshot"],
    ):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
    return root


def opt_in(request: pytest.FixtureRequest, marker: str = "slow") -> None:
    """Skip a ``marker`` test unless ``-m`` selects tests explicitly, as the robustness
    suite does: ``pytest tests/test_validate.py -m slow``."""
    if not request.config.getoption("markexpr"):
        pytest.skip(f"{marker}: run with -m {marker}")


def offline(home: Path) -> dict[str, str]:
    """The environment for pre-commit to install the hook with what is installed here.

    A ``sitecustomize`` on ``PYTHONPATH`` appends this interpreter's site-packages to
    every interpreter pre-commit starts, the hook's too: after the hook environment's
    own packages (its pip and setuptools, then the hook's package), as the last place
    to look. (virtualenv's "system site-packages" would be the base interpreter's, not
    those of the virtual environment CI runs in.)
    """
    paths = sysconfig.get_paths()
    site = list(dict.fromkeys([paths["purelib"], paths["platlib"]]))
    hook = home.parent / "site-hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        f"import site\n\nfor path in {site!r}:\n    site.addsitedir(path)\n"
    )
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PYTHONPATH": str(hook),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of "no build isolation"
    }
