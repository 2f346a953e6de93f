"""Options shared by the whole suite.

``--impl-root`` must be declared here, in the root conftest: pytest only reads
``pytest_addoption`` from initial conftest files.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--impl-root",
        default=None,
        help=(
            "directory holding the `resync` package that tests/conformance checks "
            "(default: target_reference)"
        ),
    )
