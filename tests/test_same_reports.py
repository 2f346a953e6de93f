"""The engine says the same as the snapshot: every finding (code, place, message,
fixability), every diff and every error on the golden cases, the legacy app and herald.

Work that only makes the tool faster (lazy metadata, fewer traversals, another base
class) must leave this snapshot as it is. A change meant to change what a codemod says
writes it anew (``python -m tests.support.reports``), and its diff is then part of the
change under review.
"""

from __future__ import annotations

import json

from tests.support.reports import SNAPSHOT, reports


def test_the_reports_are_the_snapshots_input_by_input() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    found = reports()
    assert sorted(found) == sorted(expected)
    assert sum(len(files) for files in expected.values()) > 100
    for name, files in expected.items():
        assert found[name] == files, (
            f"{name}: the reports differ from {SNAPSHOT.name} (if meant, write it anew"
            " with `python -m tests.support.reports` and review its diff)"
        )
