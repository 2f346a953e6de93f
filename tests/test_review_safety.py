"""Fix safety end to end: ``--safe-only``, JSON and SARIF applicability, and the text
summary grouped by codemod and safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import TRACKED, invoke, write

# TG001's fix is unsafe; removing the stale suppression (TG100) is safe.
MIXED = TRACKED.replace("import asyncio\n", "import asyncio  # noqa: TG010\n", 1)


@pytest.fixture
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write(tmp_path, "app/service.py", MIXED)


def _table(stderr: str) -> list[str]:
    """The summary table's lines, whitespace collapsed."""
    return [
        " ".join(line.split()) for line in stderr.splitlines() if line.startswith("TG")
    ]


def test_safe_only_applies_safe_fixes_and_leaves_unsafe_ones_pending(
    mixed: Path,
) -> None:
    result = invoke("run", "--safe-only", "--write", "app")

    assert result.exit_code == 0
    text = mixed.read_text()
    assert text.startswith("import asyncio\n"), "the safe fix is applied"
    assert 'track_task(tick(), name="tick")' in text, "the unsafe one is not"
    assert (
        "app/service.py:11:5: TG001 replace `track_task()` with `tg.create_task()` "
        "(unsafe fix not applied: --safe-only)"
    ) in result.stdout.splitlines()
    assert _table(result.stderr) == [
        "TG001 legacy-tracker unsafe 0 2",
        "TG100 unused-noqa safe 1 0",
    ]
    assert result.stderr.splitlines()[0].split() == [
        "codemod",
        "safety",
        "fixes",
        "to",
        "decide",
    ]


def test_without_safe_only_every_fix_is_applied(mixed: Path) -> None:
    result = invoke("run", "--write", "app")
    assert result.exit_code == 0
    assert 'tg.create_task(tick(), name="tick")' in mixed.read_text()
    assert _table(result.stderr) == [
        "TG001 legacy-tracker unsafe 1 1",
        "TG100 unused-noqa safe 1 0",
    ]
    assert result.stderr.splitlines()[-1] == (
        "1 file scanned, 1 changed (1 written), 3 findings, 0 errors"
    )


def test_check_table_counts_what_run_would_fix(mixed: Path) -> None:
    result = invoke("check", "app")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].split() == [
        "codemod",
        "safety",
        "fixable",
        "to",
        "decide",
    ]
    assert _table(result.stderr) == [
        "TG001 legacy-tracker unsafe 1 1",
        "TG100 unused-noqa safe 1 0",
    ]


def test_json_carries_each_fix_applicability(mixed: Path) -> None:
    document = json.loads(
        invoke("run", "--safe-only", "--format", "json", "app").stdout
    )
    findings = document["files"][0]["findings"]
    assert [(f["rule"], f["fixable"], f["applicability"]) for f in findings] == [
        ("TG100", True, "safe"),
        ("TG001", False, "unsafe"),
        ("TG001", False, "unsafe"),
    ]
    diff = document["files"][0]["diff"]
    assert "-import asyncio  # noqa: TG010" in diff
    assert "create_task" not in diff, "the unsafe fix is not in the diff"


def test_sarif_carries_applicability_and_rule_safety(mixed: Path) -> None:
    document = json.loads(invoke("check", "--format", "sarif", "app").stdout)
    run = document["runs"][0]
    safety = {
        r["id"]: r["properties"]["fixSafety"] for r in run["tool"]["driver"]["rules"]
    }
    assert safety["TG001"] == "unsafe" and safety["TG100"] == "safe"
    results = [
        (r["ruleId"], r["properties"]["fixable"], r["properties"]["applicability"])
        for r in run["results"]
    ]
    assert results == [
        ("TG100", True, "safe"),
        ("TG001", True, "unsafe"),
        ("TG001", False, "unsafe"),
    ]
