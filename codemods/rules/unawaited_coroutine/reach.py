"""Which functions of a module TG006 must visit to see calls of the project's coroutine
functions defined in other modules, read from the module's text alone (no LibCST).

A call reaches another module's ``async def`` through a name the module imports from
the project (``fetch()``, ``client.fetch()``, ``Worker().start()``, ``w = Worker()``,
a parameter annotated ``Worker``), or through an attribute of ``self`` that holds one
(``self.client = Client()`` in ``__init__``, ``self.client.connect()`` elsewhere).
Those names are TG006's words: a function spelling none of them, nor a coroutine
function of its own module, cannot call one that the index resolves. Names imported
from the standard library or from outside the project are left out: the index never
resolves them, and as words they would only keep bodies for nothing.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

# Where a project's top-level packages may stand, relative to the run's root.
_PACKAGE_HOMES = (".", "src", "..")


@lru_cache(maxsize=256)
def is_project_package(top: str, root: str) -> bool:
    """Whether the top-level package or module ``top`` is the project's own: found
    in the run's ``root`` (or its ``src/`` or parent folder), or the root itself."""
    if top in sys.stdlib_module_names:
        return False
    base = Path(root).resolve()
    if base.name == top:
        return True
    for home in _PACKAGE_HOMES:
        folder = base / home
        if (folder / top).is_dir() or (folder / f"{top}.py").is_file():
            return True
    return False


# The last few texts' answers: a file's relevance, its elision plan and each codemod
# instance ask about the same text in turn.
_RECENT: dict[tuple[str, str], frozenset[str]] = {}
_RECENT_SIZE = 8


def project_names(
    text: str, root: str, tree: ast.Module | None = None
) -> frozenset[str]:
    """The names ``text`` binds by importing from the project, and the attributes of
    ``self`` assigned a value that spells one (see the module). ``tree``: the text's
    ``ast`` when the caller has it (the relevance prefilter's), not parsed again."""
    key = (text, root)
    found = _RECENT.get(key)
    if found is None:
        found = _RECENT[key] = _names_in(text, root, tree)
        if len(_RECENT) > _RECENT_SIZE:
            del _RECENT[next(iter(_RECENT))]
    return found


def _names_in(text: str, root: str, tree: ast.Module | None) -> frozenset[str]:
    if tree is None:
        if "import" not in text:  # no import statement: nothing from the project
            return frozenset()
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            return frozenset()
    names: set[str] = set()
    # Imports and assignments are statements: no expression is walked for them.
    assignments: list[ast.Assign | ast.AnnAssign] = []
    for node in _statements(tree.body):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level > 0 or is_project_package(module.partition(".")[0], root):
                names.update(
                    alias.asname or alias.name
                    for alias in node.names
                    if alias.name != "*"
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                if is_project_package(top, root):
                    names.add(alias.asname or top)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            assignments.append(node)
    if names:
        names |= _holding_attributes(assignments, names)
    return frozenset(names)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of ``body`` and of the blocks nested in it (functions' and
    classes' too): where an import or an assignment can stand."""
    pending = list(reversed(body))
    while pending:
        statement = pending.pop()
        yield statement
        blocks: list[list[ast.stmt]] = []
        for name in ("body", "orelse", "finalbody"):
            block = getattr(statement, name, None)
            if isinstance(block, list):
                blocks.append(block)
        for clause in (
            *getattr(statement, "handlers", ()),
            *getattr(statement, "cases", ()),
        ):
            blocks.append(clause.body)
        for block in reversed(blocks):
            pending.extend(reversed(block))


def _holding_attributes(
    assignments: list[ast.Assign | ast.AnnAssign], names: set[str]
) -> set[str]:
    """Attributes ``self.<x>`` assigned (or annotated with) something spelling one of
    ``names``, among ``assignments``."""
    found: set[str] = set()
    for node in assignments:
        spelled: list[ast.expr | None]
        if isinstance(node, ast.Assign):
            targets, spelled = node.targets, [node.value]
        else:
            targets, spelled = [node.target], [node.annotation, node.value]
        attributes = [
            target.attr
            for target in targets
            if isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ]
        if attributes and any(_spells(part, names) for part in spelled):
            found.update(attributes)
    return found


def _spells(node: ast.expr | None, names: set[str]) -> bool:
    if node is None:
        return False
    return any(
        isinstance(inner, ast.Name) and inner.id in names for inner in ast.walk(node)
    )
