"""One ``codemods validate`` of the bundled legacy app for the whole session.

It is the suite's most expensive run (the migration, ``mypy --strict``, the whole
conformance suite on the migrated copy), and it is what CI must run, so it runs once,
through the CLI, keeping its migrated copy (``--workdir``): ``tests/test_validate.py``
reads its report, ``tests/test_legacy_app.py`` compares its copy with the reference.
It names the legacy app's PATH: plain ``codemods validate`` validates herald too,
whose migration and behaviour tests ``tests/test_herald_migration.py`` runs already.
Test modules load this file with ``pytest_plugins``, so that the fixture is one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from codemods.validate.bundle import default_path
from tests.support.cli import invoke


@dataclass(frozen=True)
class Validation:
    result: Result
    document: dict[str, Any]  # the --format json report
    migrated: Path  # the kept migrated copy of fixtures/legacy_app

    def gate(self, name: str) -> dict[str, Any]:
        gates: list[dict[str, Any]] = self.document["gates"]
        (gate,) = [g for g in gates if g["gate"] == name]
        return gate


@pytest.fixture(scope="session")
def bundled_validation(tmp_path_factory: pytest.TempPathFactory) -> Validation:
    """``codemods validate BUNDLED_LEGACY_APP --format json --workdir DIR``."""
    workdir = tmp_path_factory.mktemp("validate") / "work"
    result = invoke(
        "validate", default_path(), "--format", "json", "--workdir", workdir
    )
    return Validation(result, json.loads(result.stdout), workdir / "legacy_app")
