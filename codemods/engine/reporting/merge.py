"""``codemods merge-reports``: the ``--shard K/N`` runs of a CI matrix as one run.

The shards' ``--format json`` reports become one report (files sorted by path, totals
summed) with the exit code the whole run would have had; their ``--patch`` files become
one patch, sections sorted by path. A file reported by two shards, reports of different
versions or modes, or a document that is not a report is a usage error (exit 2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from codemods.core.results import ExitCode
from codemods.core.settings import ConfigError, Settings
from codemods.engine.paths import check_output
from codemods.engine.reporting.json_report import VERSION
from codemods.engine.reporting.terminal import Terminal
from codemods.engine.reporting.words import plural
from codemods.engine.writer import write_new

TOTALS = ("files_scanned", "files_changed", "findings", "errors")
_SECTION = re.compile(rb"^diff --git ", re.MULTILINE)


class MergeError(Exception):
    """The inputs cannot be merged; the message says why."""


def load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise MergeError(f"{path}: not a JSON report: {exc}") from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise MergeError(
            f"{path}: not a version {VERSION} codemods --format json report"
        )
    if not isinstance(document.get("files"), list) or not isinstance(
        document.get("summary"), dict
    ):
        raise MergeError(f"{path}: a report needs 'files' and 'summary'")
    return document


def merge(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One report of several shards' reports."""
    modes = {document.get("mode", "check") for document in documents}
    if len(modes) > 1:
        raise MergeError("the reports come from different commands (check and run)")
    files: dict[str, dict[str, Any]] = {}
    for document in documents:
        for entry in document["files"]:
            path = entry.get("path")
            if not isinstance(path, str):
                raise MergeError("a report lists a file without a path")
            if path in files:
                raise MergeError(f"{path} is in two reports: shards must not overlap")
            files[path] = entry
    summary = {
        key: sum(int(document["summary"].get(key, 0)) for document in documents)
        for key in TOTALS
    }
    merged = {"version": VERSION, "mode": modes.pop() if modes else "check"}
    merged.update(files=[files[path] for path in sorted(files)], summary=summary)
    return merged


def return_code(report: dict[str, Any]) -> ExitCode:
    """What ``Summary.return_code`` gives for the run the report describes."""
    summary = report["summary"]
    if summary["errors"]:
        return ExitCode.FILE_ERRORS
    if report["mode"] == "check" and (summary["files_changed"] or summary["findings"]):
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def merge_patches(patches: Sequence[bytes]) -> bytes:
    """The shards' patches as one, each file's section in path order."""
    sections: list[bytes] = []
    for patch in patches:
        if not patch.strip():
            continue  # a shard with nothing to change writes an empty patch
        starts = [match.start() for match in _SECTION.finditer(patch)]
        if not starts or starts[0] != 0:
            raise MergeError("a patch file does not start with 'diff --git'")
        ends = [*starts[1:], len(patch)]
        sections.extend(
            patch[start:end] for start, end in zip(starts, ends, strict=True)
        )
    ordered: list[bytes] = sorted(sections, key=_header)
    return b"".join(ordered)


def _header(section: bytes) -> bytes:
    return section.split(b"\n", 1)[0]


def _merged(reports: Sequence[Path]) -> dict[str, Any]:
    """``merge`` of the reports, any malformed part of one a ``MergeError``."""
    documents = [load(path) for path in reports]
    try:
        return merge(documents)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise MergeError(
            f"a report is malformed ({type(exc).__name__}: {exc})"
        ) from None


def merge_command(
    reports: Sequence[Path],
    patches: Sequence[Path],
    patch_file: Path | None,
    terminal: Terminal,
) -> int:
    """``codemods merge-reports``: the merged report on stdout, its exit code."""
    try:
        report = _merged(reports)
        if patch_file is not None:
            check_output(patch_file, "--patch", Settings())
            data = merge_patches([path.read_bytes() for path in patches])
            write_new(patch_file, data)
    except (MergeError, ConfigError) as exc:
        terminal.message(f"codemods: error: {exc}", "red")
        return ExitCode.USAGE
    except OSError as exc:
        where = "" if exc.filename is None else f"{exc.filename}: "
        terminal.message(f"codemods: error: {where}{exc.strerror or exc}", "red")
        return ExitCode.FILE_ERRORS
    terminal.data(json.dumps(report, indent=2) + "\n")
    totals = report["summary"]
    terminal.message(
        f"{plural(len(reports), 'report')} merged: "
        f"{plural(totals['files_scanned'], 'file')} scanned, "
        f"{totals['files_changed']} changed, {plural(totals['findings'], 'finding')}, "
        f"{plural(totals['errors'], 'error')}"
    )
    return return_code(report)
