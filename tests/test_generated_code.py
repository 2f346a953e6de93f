"""Generated code must itself be exemplary: every golden ``.after.py`` (and every
``after/`` tree) passes ``mypy --strict`` and ``ruff check --select RUF006``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api as mypy_api

from tests.support.golden import file_cases, tree_cases

AFTER_FILES = [case for case in file_cases() if case.after is not None]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every generated file as an importable module (``case_<n>.py``) or package tree."""
    root = tmp_path_factory.mktemp("generated")
    for number, case in enumerate(AFTER_FILES):
        assert case.after is not None
        (root / "files").mkdir(exist_ok=True)
        shutil.copyfile(case.after, root / "files" / f"case_{number}_{case.name}.py")
    for number, tree in enumerate(tree_cases()):
        target = root / "trees" / f"tree_{number}"
        shutil.copytree(tree.root / "before", target)
        if (tree.root / "after").exists():  # none: nothing changes
            shutil.copytree(tree.root / "after", target, dirs_exist_ok=True)
    return root


def _mypy(*args: str) -> None:
    stdout, stderr, status = mypy_api.run(
        ["--strict", "--ignore-missing-imports", "--no-incremental", *args]
    )
    assert status == 0, stdout + stderr


def test_after_files_pass_mypy_strict(generated: Path) -> None:
    _mypy(str(generated / "files"))


def test_after_trees_pass_mypy_strict(generated: Path) -> None:
    trees = (
        sorted((generated / "trees").iterdir())
        if (generated / "trees").exists()
        else []
    )
    for tree in trees:
        _mypy(str(tree))


def test_generated_code_has_no_dangling_tasks(generated: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "RUF006",
            str(generated),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
