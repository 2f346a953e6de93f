"""Unified diffs that ``git apply`` and ``patch`` accept, byte-exact about line endings."""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(old: str, new: str, path: str, *, context: int = 3) -> str:
    """The ``a/`` -> ``b/`` unified diff of one file ("" when equal).

    Line endings are kept as they are (CRLF stays CRLF), and a last line without a newline
    is followed by the ``\\ No newline at end of file`` marker, as git writes it.
    """
    if old == new:
        return ""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    out: list[str] = []
    for line in difflib.unified_diff(
        old_lines,
        new_lines,
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
        n=context,
    ):
        if line.startswith(("---", "+++")) and not line.endswith("\n"):
            line += "\n"
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n" + NO_NEWLINE)
    return "".join(out)
