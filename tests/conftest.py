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


# Markers that keep a test out of the default run (`pytest`, the README's command and
# CI); `pytest -m slow` (any `-m`) runs them. A mark alone selects nothing away, so
# the corpus comparisons (the real-world sources, when fetched) ran in every suite.
OPT_IN_MARKERS = ("slow", "stress")


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if config.getoption("markexpr"):
        return
    for item in items:
        for marker in OPT_IN_MARKERS:
            if item.get_closest_marker(marker) is not None:
                item.add_marker(
                    pytest.mark.skip(reason=f"{marker}: run with -m {marker}")
                )
                break
