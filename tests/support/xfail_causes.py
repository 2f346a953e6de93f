"""A pytest plugin (``-p tests.support.xfail_causes``) that prints why each expected
failure failed: ``XFAIL-CAUSE <node id>: <the exception's first line>``.

``-rx`` shows only an xfail's reason, which says what *should* break; this shows what
did, so a test can tell a legacy app failing for the plan's reason from one failing on,
say, an import error.
"""

from __future__ import annotations

import pytest

PREFIX = "XFAIL-CAUSE "
_causes: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and hasattr(report, "wasxfail"):
        crash = getattr(report.longrepr, "reprcrash", None)
        message = str(report.longrepr) if crash is None else crash.message
        first = message.splitlines()[0] if message else ""
        _causes.append(f"{report.nodeid}: {first}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _causes:
        terminalreporter.write_line(PREFIX + line)
