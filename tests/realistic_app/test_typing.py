"""(d) The service is ``mypy --strict`` clean; and the fixture is still unmigrated."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api


@pytest.mark.timeout(300)
def test_the_service_is_mypy_strict_clean(
    app_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pyproject = app_root / "pyproject.toml"
    config = str(pyproject) if pyproject.is_file() else ""
    cache = tmp_path_factory.mktemp("mypy-cache")
    stdout, stderr, status = api.run(
        [
            "--strict",
            f"--config-file={config}",
            f"--cache-dir={cache}",
            "--no-color-output",
            str(app_root / "herald"),
        ]
    )
    assert status == 0, stdout + stderr


def test_the_fixture_has_no_taskgroup_yet(app_root: Path, unmigrated: bool) -> None:
    """The fixture is the target of the migration: it must not contain its result."""
    if not unmigrated:
        pytest.skip("only the unmigrated fixture is held to its starting state")
    sources = sorted((app_root / "herald").rglob("*.py"))
    assert len(sources) >= 10
    holding = [p.relative_to(app_root) for p in sources if "TaskGroup" in p.read_text()]
    assert holding == []
