"""Options shared by the whole suite.

``--impl-root`` must be declared here, in the root conftest: pytest only reads
``pytest_addoption`` from initial conftest files.
"""

from __future__ import annotations

import os

import pytest

# Runs of the CLI (in-process or in a subprocess, which inherits this) must leave no
# results cache in the repository or in fixtures/; tests of the cache clear it and
# give --cache-dir.
os.environ["CODEMODS_NO_CACHE"] = "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--impl-root",
        default=None,
        help=(
            "directory holding the `resync` package that tests/conformance checks "
            "(default: target_reference)"
        ),
    )
