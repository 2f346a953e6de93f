"""Unified diffs that ``git apply`` and ``patch`` accept, byte-exact about line endings."""

from __future__ import annotations

import difflib

from codemods.core.source import split_lines

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(old: str, new: str, path: str, *, context: int = 3) -> str:
    """The ``a/`` -> ``b/`` unified diff of one file ("" when equal).

    Line endings are kept as they are (CRLF stays CRLF), and a last line without a newline
    is followed by the ``\\ No newline at end of file`` marker, as git writes it.
    """
    if old == new:
        return ""
    # Lines end at \n, \r\n or \r only: a form feed in a line must not split it.
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    out: list[str] = []
    # An absolute path is written as git does (`a/tmp/x.py`), never `a//tmp/x.py`.
    name = path.lstrip("/")
    for line in difflib.unified_diff(
        old_lines,
        new_lines,
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
        n=context,
    ):
        if line.startswith(("---", "+++")) and not line.endswith("\n"):
            line += "\n"
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n" + NO_NEWLINE)
    return "".join(out)
