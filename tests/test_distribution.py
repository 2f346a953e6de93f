"""Whether a tree is a distribution (its public API has callers outside the run) or an
application: the nearest project file at or above the run's root decides."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.core.distribution import is_distribution


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("pyproject.toml", '[project]\nname = "lib"\n', True),
        ("pyproject.toml", "[tool.codemods]\nselect = ['ALL']\n", False),
        ("pyproject.toml", "not = [valid", False),
        ("setup.cfg", "[metadata]\nname = lib\n", True),
        ("setup.cfg", "[flake8]\nmax-line-length = 100\n", False),
        ("setup.py", "from setuptools import setup\n\nsetup(name='lib')\n", True),
        ("setup.py", "print('not a setup script')\n", False),
    ],
)
def test_the_project_file_decides(
    tmp_path: Path, name: str, text: str, expected: bool
) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "src" / "lib").mkdir(parents=True)
    assert is_distribution(tmp_path / "src" / "lib") is expected


def test_the_nearest_project_file_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "outer"\n')
    app = tmp_path / "examples" / "app"
    app.mkdir(parents=True)
    (app / "pyproject.toml").write_text("[tool.codemods]\n")
    assert is_distribution(app) is False
    assert is_distribution(tmp_path / "examples") is True
