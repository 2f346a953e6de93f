"""``--format sarif``: SARIF 2.1.0, with every codemod described as a rule."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from codemods import __version__
from codemods.core.results import Summary

if TYPE_CHECKING:  # annotations only: the caller makes the docs (loading LibCST)
    from codemods.rules.docs import CodemodDoc

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/taskgroup-codemods/"


def _rule(doc: CodemodDoc) -> dict[str, Any]:
    return {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.description},
        "fullDescription": {"text": doc.sections.get("What it does", doc.summary)},
        "help": {"text": doc.summary, "markdown": doc.markdown()},
        "defaultConfiguration": {"level": "error"},
        "properties": {"fixSafety": doc.fix_safety},
    }


def _location(path: str, line: int, col: int) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path},
            "region": {"startLine": line, "startColumn": col},
        }
    }


def to_sarif(summary: Summary, docs: list[CodemodDoc]) -> dict[str, Any]:
    index = {doc.code: i for i, doc in enumerate(docs)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for result in summary.results:
        for finding in result.findings:
            entry: dict[str, Any] = {
                "ruleId": finding.rule,
                "level": "error",
                "message": {"text": finding.message},
                "locations": [_location(result.path, finding.line, finding.col)],
                "properties": {
                    "fixable": finding.fixable,
                    "applicability": finding.applicability,
                },
            }
            if finding.rule in index:
                entry["ruleIndex"] = index[finding.rule]
            results.append(entry)
        if result.error is not None:
            error = result.error
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{error.kind} error: {error.message}"},
                    "locations": [_location(result.path, error.line, error.col)],
                }
            )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "taskgroup-codemods",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(doc) for doc in docs],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": summary.errors == 0,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }


def render(summary: Summary, docs: list[CodemodDoc]) -> str:
    return json.dumps(to_sarif(summary, docs), indent=2) + "\n"
