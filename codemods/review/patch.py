"""``--patch FILE``: the run's changes as one patch for ``git apply`` on the same tree.

A patch is bytes, not text: each file's section is encoded in that file's encoding (a
Latin-1 file's lines stay Latin-1), a BOM is part of the first line as it is on disk,
CRLF lines keep their CR, and a last line without a newline keeps the
``\\ No newline at end of file`` marker. Paths are relative to the root of the git
repository the run started in (the working directory outside a repository), so that
``git apply`` at the root takes the patch whichever subdirectory made it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from codemods.core.diffs import unified_diff
from codemods.engine.writer import write_new

_NEEDS_QUOTES = re.compile(r'["\\\x00-\x1f\x7f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


class PatchError(ValueError):
    """This file cannot be part of the patch; the message says why."""


def repository_root(start: Path | None = None) -> Path:
    """The top of the git repository holding ``start`` (default: the working
    directory), or ``start`` itself outside a repository."""
    here = Path(os.path.abspath(start or Path.cwd()))
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


def patch_name(shown: str, root: Path) -> str:
    """The path ``git apply`` at ``root`` expects for the file shown as ``shown``."""
    relative = os.path.relpath(os.path.abspath(shown), root)
    if os.path.isabs(relative) or relative.split(os.sep)[0] == os.pardir:
        raise PatchError(f"outside {root}, where `git apply` takes the patch")
    return Path(relative).as_posix()


def section(shown: str, old: str, new: str, encoding: str) -> bytes:
    """One file's part of the patch (empty when nothing changed); ``shown`` is the
    file's path relative to where the patch applies (``patch_name``)."""
    codec = encoding
    if encoding == "utf-8-sig":
        # The BOM is the first line's first bytes on disk: the patch must show it.
        codec, old, new = "utf-8", "\ufeff" + old, "\ufeff" + new
    diff = unified_diff(old, new, shown, git_lines=True)
    if not diff:
        return b""
    # unified_diff starts with exactly these two lines; the header is rewritten in git's
    # form (quoted when a path needs it) and encoded as the file system names files.
    body = diff[len(f"--- a/{shown}\n+++ b/{shown}\n") :]
    old_name, new_name = _quoted(f"a/{shown}"), _quoted(f"b/{shown}")
    header = f"diff --git {old_name} {new_name}\n--- {old_name}\n+++ {new_name}\n"
    try:
        return os.fsencode(header) + body.encode(codec)
    except UnicodeEncodeError as exc:
        raise PatchError(
            f"the new text cannot be encoded as {encoding}: {exc.reason}"
        ) from None


def _quoted(name: str) -> str:
    """``name`` as git writes it: C-quoted if it holds a quote, backslash or control."""
    if _NEEDS_QUOTES.search(name) is None:
        return name
    escaped = "".join(
        _ESCAPES.get(
            char, f"\\{ord(char):03o}" if ord(char) < 0x20 or char == "\x7f" else char
        )
        for char in name
    )
    return f'"{escaped}"'


def save(target: Path, sections: Iterable[bytes]) -> int:
    """Write the patch; the number of files in it."""
    parts = [part for part in sections if part]
    write_new(target, b"".join(parts))
    return len(parts)
