"""Unified diffs cut into hunks, each keyed by the first line it changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Hunk:
    path: str
    line: int  # old-file line of the first change (a removal, or where lines go)
    old_start: int
    old_length: int
    text: str

    @property
    def added(self) -> list[str]:
        return [row[1:] for row in self.text.splitlines() if row.startswith("+")]

    @property
    def removed(self) -> list[str]:
        return [row[1:] for row in self.text.splitlines() if row.startswith("-")]


def split(path: str, diff: str) -> list[Hunk]:
    """The hunks of one file's unified diff, in order."""
    hunks: list[Hunk] = []
    rows: list[str] = []
    for row in diff.splitlines():
        if row.startswith("@@"):
            if rows:
                hunks.append(_hunk(path, rows))
            rows = [row]
        elif rows:
            rows.append(row)
    if rows:
        hunks.append(_hunk(path, rows))
    return hunks


def _hunk(path: str, rows: list[str]) -> Hunk:
    match = _HEADER.match(rows[0])
    if match is None:
        raise ValueError(f"{path}: not a hunk header: {rows[0]!r}")
    old_start = int(match.group(1))
    old_length = int(match.group(2) or 1)
    first_change = old_start
    for row in rows[1:]:
        if row.startswith(("-", "+")):
            break
        if not row.startswith("\\"):
            first_change += 1
    return Hunk(path, first_change, old_start, old_length, "\n".join(rows))


def rules_in(hunk: Hunk, findings: list[dict[str, Any]]) -> list[str]:
    """Codes of the fixable findings whose line falls inside the hunk's old lines; for a
    hunk with none (the body of a converted function), the code of the nearest fixable
    finding above it in the same file."""
    last = hunk.old_start + max(hunk.old_length, 1) - 1
    fixable = [f for f in findings if f["path"] == hunk.path and f.get("fixable")]
    inside = {
        str(f["rule"]) for f in fixable if hunk.old_start <= int(f["line"]) <= last
    }
    if inside:
        return sorted(inside)
    above = [f for f in fixable if int(f["line"]) < hunk.old_start]
    if not above:
        return []
    return [str(max(above, key=lambda f: int(f["line"]))["rule"])]
