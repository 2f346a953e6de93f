"""``check --add-noqa``: suppress every finding ``check`` reports, in place, so that
``check`` passes and a team can adopt the gate today (Ruff's ``--add-noqa``).

Each finding, fixable or not (a suppressed fix is not applied), gets ``# noqa: CODE``
at the end of the line where it starts:
merged into the line's ``# noqa: ...`` directive when there is one, appended after any
other comment otherwise. A line whose end is inside a string, or that continues with a
backslash, cannot hold a comment; its findings are reported instead. Each file is
written atomically, and only if the new text still parses.
"""

from __future__ import annotations

import ast
import io
import os
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from codemods.core.noqa import add_codes
from codemods.core.results import FileResult
from codemods.core.source import SourceError, decode, split_lines
from codemods.engine.writer import WriteError, place_of, write_atomic


@dataclass(frozen=True)
class Added:
    """What ``--add-noqa`` did to one file."""

    shown: str
    directives: int = 0
    # "line N: why" for each line that could not take a directive.
    skipped: tuple[str, ...] = ()
    error: str | None = None


@dataclass
class _Line:
    """What tokenizing tells about one physical line."""

    comment: tuple[int, str] | None = None  # column and text of its comment token
    blocked: str | None = None  # why a comment cannot go at its end


def add_noqa(result: FileResult) -> Added:
    """Suppress the result's findings in its file (read again from disk)."""
    wanted: dict[int, set[str]] = {}
    for finding in result.findings:
        wanted.setdefault(finding.line, set()).add(finding.rule)
    if not wanted:
        return Added(result.path)
    path = Path(result.path)
    try:
        place = place_of(path)
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            decoded = decode(handle.read())
    except OSError as exc:
        return Added(result.path, error=f"cannot read: {exc.strerror}")
    except SourceError as exc:
        return Added(result.path, error=exc.message)
    text, added, skipped = suppress(decoded.text, wanted)
    if not added:
        return Added(result.path, skipped=skipped)
    try:
        ast.parse(text)
        write_atomic(path, decoded.encode(text), expected=stat, place=place)
    except (SyntaxError, UnicodeEncodeError) as exc:
        return Added(result.path, skipped=skipped, error=f"not written: {exc}")
    except WriteError as exc:
        return Added(result.path, skipped=skipped, error=str(exc))
    return Added(result.path, added, skipped)


def suppress(
    text: str, wanted: Mapping[int, set[str]]
) -> tuple[str, int, tuple[str, ...]]:
    """``text`` with the ``wanted`` codes of each line suppressed; the number of
    directives added or extended, and the lines that cannot hold one."""
    lines = split_lines(text)
    facts = _lines(text, lines)
    added = 0
    skipped: list[str] = []
    for number in sorted(wanted):
        fact = (
            facts[number - 1]
            if 0 < number <= len(lines)
            else _Line(blocked="no such line")
        )
        if fact.blocked is not None:
            skipped.append(f"line {number}: {fact.blocked}")
            continue
        line = lines[number - 1]
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if fact.comment is None:
            new = f"{body.rstrip()}  {add_codes(None, wanted[number])}"
        else:
            col, comment = fact.comment
            new = (
                body[:col]
                + add_codes(comment, wanted[number])
                + body[col + len(comment) :]
            )
        if new != body:
            lines[number - 1] = new + ending
            added += 1
    return "".join(lines), added, tuple(skipped)


def _lines(text: str, lines: list[str]) -> list[_Line]:
    facts = [_Line() for _ in lines]
    # Universal newlines, so that a lone \r ends a line here as it does for Python.
    readline = io.StringIO(text, newline=None).readline
    try:
        for token in tokenize.generate_tokens(readline):
            first, last = token.start[0], token.end[0]
            if token.type == tokenize.COMMENT and first <= len(lines):
                facts[first - 1].comment = (token.start[1], token.string)
            elif first < last:
                # A string over several lines: all but its last line end inside it.
                for number in range(first, min(last, len(lines) + 1)):
                    facts[number - 1].blocked = "the line ends inside a string"
    except (tokenize.TokenError, SyntaxError):
        return [_Line(blocked="the file does not tokenize") for _ in lines]
    for fact, line in zip(facts, lines, strict=True):
        if (
            fact.blocked is None
            and fact.comment is None
            and line.rstrip("\r\n").endswith("\\")
        ):
            fact.blocked = "the line continues with a backslash"
    return facts
