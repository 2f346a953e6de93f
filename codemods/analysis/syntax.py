"""A text's CPython syntax tree, parsed once for everyone who reads it.

``ast`` parses some fifty times faster than LibCST and needs no metadata, so what can
be judged on it is: which codemods a file could concern (``relevance``) and which
function bodies LibCST need not be given (``engine/worker/elision.py``). Both read the
same :class:`Syntax`, so a file is parsed by ``ast`` once.
"""

from __future__ import annotations

import ast
from functools import cached_property


class Syntax:
    """``text`` and its ``ast`` (parsed on first use)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def tree(self) -> ast.Module | None:
        """The tree; None when ``ast`` cannot parse the text (or not in this much
        memory and recursion)."""
        try:
            return ast.parse(self.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    def forget(self) -> None:
        """Let the tree go (a kept file's ``ast`` is not read again)."""
        self.__dict__.pop("tree", None)


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes, else None (the ``ast`` twin of
    ``cst/names.dotted``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None
