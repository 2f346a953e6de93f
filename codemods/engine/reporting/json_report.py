"""The ``--format json`` document (version 1).

Only files with something to say are listed (a change, a finding or an error); the
summary counts every file scanned. ``mode`` is the command (``check`` or ``run``).
"""

from __future__ import annotations

import json
from typing import Any

from codemods.core.results import FileError, FileResult, Finding, Summary

VERSION = 1


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "line": finding.line,
        "col": finding.col,
        "message": finding.message,
        "fixable": finding.fixable,
        "applicability": finding.applicability,
    }


def error_json(error: FileError | None) -> dict[str, Any] | None:
    if error is None:
        return None
    return {
        "kind": error.kind,
        "message": error.message,
        "line": error.line,
        "col": error.col,
    }


def file_json(result: FileResult, *, with_diff: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": result.path,
        "changed": result.changed,
        "findings": [finding_json(f) for f in result.findings],
        "error": error_json(result.error),
    }
    if with_diff and result.changed:
        entry["diff"] = result.diff or ""
    return entry


def to_json(summary: Summary) -> dict[str, Any]:
    with_diff = summary.mode == "run"
    return {
        "version": VERSION,
        # check or run: what the exit code means (``merge-reports`` needs it).
        "mode": summary.mode,
        "files": [
            file_json(result, with_diff=with_diff)
            for result in summary.results
            if result.changed or result.findings or result.error is not None
        ],
        "summary": {
            "files_scanned": summary.files_scanned,
            "files_changed": summary.files_changed,
            "findings": summary.findings,
            "errors": summary.errors,
        },
    }


def render(summary: Summary) -> str:
    return json.dumps(to_json(summary), indent=2) + "\n"
