"""Which accepted hunks may be written: decided for the whole run before anything is.

A file is refused, and left unchanged, when its accepted hunks do not parse together,
use a name another hunk of the file defines (or remove one still used), cannot be
encoded in the file's encoding, or take only part of a ``group`` (a converted signature
without all of its callers, which may live in other files). Refusing one file
can leave a group it shares half-accepted elsewhere, so refusals are propagated until
nothing changes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from codemods.review.changes import FileChanges
from codemods.review.names import Undefined, newly_undefined


@dataclass(frozen=True)
class Resolution:
    """Bytes to write by shown path, and the reason each refused file was refused."""

    writes: dict[str, bytes] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)


def resolve(
    files: Sequence[FileChanges], accepted: Mapping[str, set[int]]
) -> Resolution:
    """Decide each file with accepted hunks (``accepted``: indexes by shown path)."""
    by_path = {f.shown: f for f in files}
    wanted = {shown: set(hunks) for shown, hunks in accepted.items() if hunks}
    refused: dict[str, str] = {}
    contents: dict[str, bytes] = {}
    for shown in sorted(wanted):
        outcome = _content(by_path[shown], wanted[shown])
        if isinstance(outcome, bytes):
            contents[shown] = outcome
        else:
            refused[shown] = outcome
    members = group_members(files)
    while True:
        newly = _partial_groups(members, wanted, refused)
        if not newly:
            break
        refused.update(newly)
    writes = {shown: data for shown, data in contents.items() if shown not in refused}
    return Resolution(writes, refused)


def _content(file: FileChanges, hunks: set[int]) -> bytes | str:
    """The file's new bytes with ``hunks`` applied, or why they cannot be written."""
    if file.problem is not None:
        return file.problem
    text = file.apply(hunks)
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return (
            f"the accepted hunks do not parse together (line {exc.lineno}: {exc.msg}); "
            "accept the hunks around it too, or none"
        )
    if len(hunks) < len(file.changes):
        full = file.apply(range(len(file.changes)))
        missing = newly_undefined(file.text, text, full)
        if missing:
            return _undefined_reason(file, hunks, missing)
    try:
        return text.encode(file.encoding)
    except UnicodeEncodeError as exc:
        return f"the new text cannot be encoded as {file.encoding}: {exc.reason}"


def _undefined_reason(
    file: FileChanges, accepted: set[int], missing: Sequence[Undefined]
) -> str:
    names = ", ".join(f"`{u.spelled}`" for u in missing)
    words = {u.spelled.removeprefix("self.") for u in missing}
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(words))) + r")\b")
    # The hunks that define, remove or use one of the names.
    lines = [
        str(hunk.changed_span()[0])
        for hunk in file.hunks
        if any(line[0] in "+-" and pattern.search(line) for line in hunk.lines)
    ]
    which = f"the hunks at lines {_listed(lines)}" if lines else "all the hunks"
    used = _old_line(file, accepted, missing[0].line)
    return (
        f"leaves {names} undefined (used at line {used}): accept "
        f"{which} of this file together, or none of them"
    )


def _old_line(file: FileChanges, accepted: set[int], line: int) -> int:
    """The file's line on disk for ``line`` of its partly accepted text: what the
    reviewer can look up (a line an accepted hunk wrote maps into that hunk)."""
    shift = 0
    for number, hunk in enumerate(file.hunks):
        if number not in accepted:
            continue
        old, new = len(hunk.old_lines), len(hunk.new_lines)
        first = hunk.first_old + 1 + shift
        if line < first:
            break
        if line < first + new:
            return hunk.first_old + 1 + min(line - first, max(old - 1, 0))
        shift += new - old
    return line - shift


def _listed(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def group_members(files: Sequence[FileChanges]) -> dict[str, list[tuple[str, int]]]:
    """Every hunk of the run (shown path, index) holding a fix of each group."""
    members: dict[str, list[tuple[str, int]]] = {}
    for file in files:
        for number, change in enumerate(file.changes):
            for group in change.groups:
                members.setdefault(group, []).append((file.shown, number))
    return members


def _partial_groups(
    members: Mapping[str, list[tuple[str, int]]],
    wanted: Mapping[str, set[int]],
    refused: Mapping[str, str],
) -> dict[str, str]:
    """Files not yet refused that would apply only part of some group."""
    newly: dict[str, str] = {}
    for group, hunks in sorted(members.items()):
        taken = [
            (shown, n)
            for shown, n in hunks
            if n in wanted.get(shown, ()) and shown not in refused
        ]
        if not taken or len(taken) == len(hunks):
            continue
        missing = sorted({shown for shown, n in hunks if (shown, n) not in taken})
        reason = (
            f"applies only part of {group}: {len(taken)} of its {len(hunks)} changes "
            f"(the rest, in {', '.join(missing)}, were not accepted or were refused)"
        )
        for shown, _ in taken:
            newly.setdefault(shown, reason)
    return newly
