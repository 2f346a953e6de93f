"""Unified diffs as hunks: parsed from ``engine.diffs`` output, applied a few at a time.

A hunk's lines keep their endings exactly (``\\r\\n`` stays), and the
``\\ No newline at end of file`` marker is folded back into the line it follows, so
applying every hunk of a diff to its old text gives its new text byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from codemods.core.source import split_lines

_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class DiffError(ValueError):
    """The diff is not one ``engine.diffs.unified_diff`` wrote."""


class Mismatch(ValueError):
    """A hunk's old lines are not in the text it is applied to (the file changed)."""


@dataclass(frozen=True, slots=True)
class Hunk:
    """One ``@@`` block; ``lines`` keep their prefix (space, ``-``, ``+``)/ending."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    lines: tuple[str, ...]

    @property
    def header(self) -> str:
        old, new = (
            f"{self.old_start},{self.old_count}",
            f"{self.new_start},{self.new_count}",
        )
        return f"@@ -{old} +{new} @@"

    @property
    def old_lines(self) -> list[str]:
        return [line[1:] for line in self.lines if line[0] in " -"]

    @property
    def new_lines(self) -> list[str]:
        return [line[1:] for line in self.lines if line[0] in " +"]

    @property
    def first_old(self) -> int:
        """Index (0-based) of the hunk's first old line; for an insertion into an empty
        range, where the new lines go (difflib numbers ``-N,0`` as *after* line N)."""
        return self.old_start if self.old_count == 0 else self.old_start - 1

    def changed_span(self) -> tuple[int, int]:
        """First and last 1-based old line a change touches; a pure insertion spans the
        line it precedes (where the engine reports findings on inserted code)."""
        line = self.first_old + 1
        touched: list[int] = []
        replacing: int | None = None  # the last removed line, while + lines replace it
        for text in self.lines:
            if text[0] == " ":
                line += 1
                replacing = None
            elif text[0] == "-":
                touched.append(line)
                replacing = line
                line += 1
            else:
                touched.append(line if replacing is None else replacing)
        return min(touched), max(touched)


@dataclass(frozen=True, slots=True)
class FileDiff:
    old_path: str
    new_path: str
    hunks: tuple[Hunk, ...]


def parse(diff: str) -> FileDiff:
    """The hunks of a one-file unified diff (``--- a/x``, ``+++ b/x``, ``@@`` ...)."""
    lines = split_lines(diff)
    if (
        len(lines) < 2
        or not lines[0].startswith("--- ")
        or not lines[1].startswith("+++ ")
    ):
        raise DiffError("a unified diff starts with '--- ' and '+++ ' lines")
    hunks: list[Hunk] = []
    at = 2
    while at < len(lines):
        hunk, at = _hunk(lines, at)
        hunks.append(hunk)
    return FileDiff(_path(lines[0]), _path(lines[1]), tuple(hunks))


def _path(line: str) -> str:
    return line[4:].rstrip("\r\n").partition("\t")[0]


def _hunk(lines: Sequence[str], at: int) -> tuple[Hunk, int]:
    match = _HEADER.match(lines[at])
    if match is None:
        raise DiffError(f"expected a hunk header, found {lines[at]!r}")
    old_start, old_count, new_start, new_count = (
        int(value) if value is not None else 1 for value in match.groups()
    )
    body: list[str] = []
    old_left, new_left = old_count, new_count
    at += 1
    # Counting lines, not looking at prefixes, tells where a hunk ends: a removed line
    # may itself start with "--" or "@@".
    while old_left or new_left:
        if at >= len(lines):
            raise DiffError(f"hunk {match.group(0)} ends early")
        line = lines[at]
        kind = line[:1]
        if kind in (" ", "-"):
            old_left -= 1
        if kind in (" ", "+"):
            new_left -= 1
        if kind not in (" ", "-", "+") or old_left < 0 or new_left < 0:
            raise DiffError(f"unexpected line in hunk {match.group(0)}: {line!r}")
        body.append(line)
        at += 1
        if at < len(lines) and lines[at].startswith("\\"):
            # "\ No newline at end of file": the line before it really has no ending
            # (the diff writer added a "\n" only to keep the marker on its own line).
            body[-1] = body[-1].removesuffix("\n")
            at += 1
    return Hunk(old_start, old_count, new_start, new_count, tuple(body)), at


def apply(text: str, hunks: Sequence[Hunk], accepted: Collection[int]) -> str:
    """``text`` with the hunks whose indexes are in ``accepted`` applied.

    Every hunk, accepted or not, must find its old lines where the diff says (else
    ``Mismatch``): a diff is applied only to the text it was made from.
    """
    old = split_lines(text)
    out: list[str] = []
    at = 0
    for number, hunk in enumerate(hunks):
        start = hunk.first_old
        expected = hunk.old_lines
        if start < at or old[start : start + len(expected)] != expected:
            raise Mismatch(f"hunk {hunk.header} does not match the file")
        out.extend(old[at:start])
        out.extend(hunk.new_lines if number in accepted else expected)
        at = start + len(expected)
    out.extend(old[at:])
    return "".join(out)
