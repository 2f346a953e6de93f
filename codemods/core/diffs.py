"""Unified diffs that ``git apply`` and ``patch`` accept, byte-exact about line endings."""

from __future__ import annotations

import difflib
import re

from codemods.core.source import split_lines

NO_NEWLINE = "\\ No newline at end of file\n"
# A line as git counts them: ended by \n alone (a lone \r is part of the line).
_GIT_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def unified_diff(
    old: str, new: str, path: str, *, context: int = 3, git_lines: bool = False
) -> str:
    """The ``a/`` -> ``b/`` unified diff of one file ("" when equal).

    Line endings are kept as they are (CRLF stays CRLF), and a last line without a newline
    is followed by the ``\\ No newline at end of file`` marker, as git writes it. Lines
    are Python's (ended by \\n, \\r\\n or \\r), or with ``git_lines`` git's (ended by
    \\n only), which a patch for ``git apply`` needs: to git, a file whose lines end in
    a lone \\r is one line.
    """
    if old == new:
        return ""
    # A form feed in a line must not split it (see ``split_lines``).
    split = _GIT_LINE.findall if git_lines else split_lines
    endings = ("\n",) if git_lines else ("\n", "\r")
    old_lines = split(old)
    new_lines = split(new)
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
        if not line.endswith(endings):
            out.append("\n" + NO_NEWLINE)
    return "".join(out)
