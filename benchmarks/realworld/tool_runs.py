"""Run `codemods` and Ruff on a tree as a user would, and read their JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOL_TIMEOUT = 1800


@dataclass(frozen=True)
class ToolRun:
    returncode: int
    report: dict[str, Any]
    stderr: str
    seconds: float


def codemods(command: str, tree: Path, *extra: str, jobs: int = 1) -> ToolRun:
    """`codemods COMMAND --format json` on `tree` (no cache: the tree stays clean)."""
    argv = [
        sys.executable,
        "-m",
        "codemods",
        command,
        "--no-cache",
        "-j",
        str(jobs),
        "--format",
        "json",
        *extra,
        ".",
    ]
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=tree, capture_output=True, text=True, timeout=TOOL_TIMEOUT
    )
    seconds = round(time.perf_counter() - started, 2)
    try:
        report = json.loads(done.stdout) if done.stdout.strip() else {}
    except json.JSONDecodeError:
        report = {"unparsed_stdout": done.stdout[-2000:]}
    return ToolRun(done.returncode, report, done.stderr[-4000:], seconds)


def findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding of a JSON report, each with its file's path, sorted by place."""
    found = [
        {"path": entry["path"], **finding}
        for entry in report.get("files", [])
        for finding in entry.get("findings", [])
    ]
    return sorted(found, key=lambda f: (f["path"], f["line"], f["col"], f["rule"]))


def errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"path": entry["path"], "error": entry["error"]}
        for entry in report.get("files", [])
        if entry.get("error")
    ]


def diffs(report: dict[str, Any]) -> dict[str, str]:
    return {
        entry["path"]: entry["diff"]
        for entry in report.get("files", [])
        if entry.get("diff")
    }


def ruff_ruf006(tree: Path) -> list[dict[str, Any]]:
    """RUF006 sites (Ruff's dangling-task rule), Ruff's defaults, not the project's."""
    argv = [
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--isolated",
        "--no-cache",
        "--select",
        "RUF006",
        "--target-version",
        "py311",
        "--output-format",
        "json",
        "--exit-zero",
        ".",
    ]
    done = subprocess.run(
        argv, cwd=tree, capture_output=True, text=True, timeout=TOOL_TIMEOUT
    )
    sites = [
        {
            "path": Path(item["filename"])
            .resolve()
            .relative_to(tree.resolve())
            .as_posix(),
            "line": item["location"]["row"],
            "message": item["message"],
        }
        for item in json.loads(done.stdout or "[]")
    ]
    return sorted(sites, key=lambda s: (s["path"], s["line"]))


def ruff_import_order(tree: Path, paths: list[str]) -> dict[str, int]:
    """I001 (unsorted imports) per file, with the project's own Ruff settings
    where Ruff can read them, else Ruff's defaults."""
    if not paths:
        return {}
    base = [
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--no-cache",
        "--select",
        "I001",
        "--output-format",
        "json",
        "--exit-zero",
    ]
    for options in ([], ["--isolated"]):
        done = subprocess.run(
            [*base, *options, *paths],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
        )
        if done.returncode == 0:
            counts = dict.fromkeys(paths, 0)
            for item in json.loads(done.stdout or "[]"):
                path = (
                    Path(item["filename"])
                    .resolve()
                    .relative_to(tree.resolve())
                    .as_posix()
                )
                counts[path] = counts.get(path, 0) + 1
            return counts
    return {}
