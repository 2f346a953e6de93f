"""This repository as a package is built from: a copy of what its sdist holds.

Tests that build a wheel or let pre-commit install the hook work on such a copy, so that
they see the working tree as it is (uncommitted changes too) and never write into it.
Those that install it are opt-in (``opt_in``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LEGACY_APP = REPO / "fixtures" / "legacy_app"
REFERENCE = REPO / "target_reference"
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    ".pre-commit-hooks.yaml",
    "codemods",
    # What setup.py bundles into the wheel.
    "fixtures/legacy_app",
    "target_reference",
    "tests/conftest.py",
    "tests/conformance",
)
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache", "*.egg-info")


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
