"""Behaviour tests of the bundled notification service, ``herald``.

They check the ``herald`` package found under ``--app-root`` (default: the
pre-migration fixture ``fixtures/realistic_app``), which is put first on
``sys.path`` here, before any test imports ``herald``. Give the migrated copy as
``--app-root`` to check a migration (``codemods validate fixtures/realistic_app``
does).

A test the unmigrated service is expected to fail carries
``@pytest.mark.unmigrated_fails(Exception, "reason")``: on the fixture itself it
becomes a strict expected failure that must raise that exception (an
``AssertionError`` subclass naming the defect), so the fixture failing for another
reason, or passing, turns the suite red.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE_ROOT = REPO / "fixtures" / "realistic_app"


def pytest_addoption(parser: pytest.Parser) -> None:
    # Read only when this directory is on the command line (pytest takes options
    # from initial conftest files); a whole-suite run checks the fixture.
    parser.addoption(
        "--app-root",
        default=None,
        help=(
            "directory holding the `herald` package that tests/realistic_app checks "
            "(default: fixtures/realistic_app, the unmigrated service)"
        ),
    )


def application_root(config: pytest.Config) -> Path:
    option = config.getoption("--app-root", default=None)
    return FIXTURE_ROOT.resolve() if option is None else Path(option).resolve()


def is_unmigrated_fixture(config: pytest.Config) -> bool:
    # By location, not content: a migrated copy is checked like any implementation.
    return application_root(config) == FIXTURE_ROOT.resolve()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "unmigrated_fails(exception, reason): the unmigrated fixture must fail this "
        "test by raising exception, for the reason given",
    )
    root = str(application_root(config))
    if root not in sys.path:
        sys.path.insert(0, root)


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if not is_unmigrated_fixture(config):
        return
    for item in items:
        marker = item.get_closest_marker("unmigrated_fails")
        if marker is not None:
            exception, reason = marker.args
            item.add_marker(
                pytest.mark.xfail(reason=reason, raises=exception, strict=True)
            )


@pytest.fixture(scope="session")
def app_root(pytestconfig: pytest.Config) -> Path:
    """The directory holding the ``herald`` package under test."""
    root = application_root(pytestconfig)
    if not (root / "herald" / "__init__.py").is_file():
        pytest.fail(f"--app-root {root} holds no herald package")
    package = importlib.import_module("herald")
    location = Path(package.__file__ or "").resolve()
    if root not in location.parents:
        pytest.fail(f"herald was imported from {location}, not from {root}")
    return root


@pytest.fixture(scope="session")
def unmigrated(pytestconfig: pytest.Config) -> bool:
    """Whether the app under test is the unmigrated fixture itself."""
    return is_unmigrated_fixture(pytestconfig)
