"""Which codemods a file that spells a trigger word could concern at all, judged on
its CPython syntax tree (:class:`~codemods.analysis.syntax.Syntax`).

The trigger prefilter matches bytes, so a word in a docstring, a comment or a string,
or a spawn whose task is kept, makes a file a candidate; most of the large
standard-library candidates are such. Here one walk of the tree gathers what every
codemod's relevance question reads (:class:`Seen`: the identifiers, the imports, the
calls whose result is thrown away, ...), and each codemod's spec asks its question of
it (``relevant`` in ``codemods/rules/<name>/spec.py``); a codemod that asks nothing
(TG100, which reads comments) is relevant where its trigger words are spelled.

Spawn and tracker functions count by their own name and by the names imports bind
them to (``from asyncio import create_task as spawn``). A file concerning no selected
codemod is one none of them could change or report, so it is not parsed by LibCST
unless the project index asks for it.

A codemod that asks the project index can act on more than the file's own facts tell:
its answers make call sites anywhere relevant. What it could ever touch is narrower
still than "anything" (its spec's ``reachable`` question, :attr:`Relevance.reachable`),
so a parsed file is not traversed by it for nothing. And a file a later round wants
because it spells a name the index found (a class that leads to a converted one) must
spell it in code: as an identifier or in a quoted annotation (``Relevance.spells``).
When in doubt (``ast`` cannot parse the text), every codemod is relevant and every
word spelled.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from typing import Protocol

from codemods.analysis.syntax import Syntax
from codemods.core.asyncio_names import RUNNING_LOOP_GETTER, SPAWN_FUNCTIONS
from codemods.core.settings import Settings

SPAWN_WORDS = frozenset(SPAWN_FUNCTIONS)
RUNNING_LOOP = frozenset({RUNNING_LOOP_GETTER})
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Relevance:
    """What a file's ``ast`` says about it, for the selected codemods."""

    # The codemods that could change or report it with its own facts alone.
    codes: frozenset[str]
    # The codemods that could, given some answers of the project index (a superset).
    reachable: frozenset[str]
    # The identifiers its code spells, and the words of its quoted annotations (None:
    # not known, the text does not parse).
    names: frozenset[str] | None

    def spells(self, words: Iterable[bytes]) -> bool:
        """Whether its code spells one of ``words`` (always, when not known)."""
        names = self.names
        return names is None or any(word.decode() in names for word in words)


@dataclass
class Seen:
    """What one walk of a text's tree found, for every codemod's question."""

    text: str
    # The text's tree, for a question reading more of it than the fields below.
    tree: ast.Module | None = None
    identifiers: set[str] = field(default_factory=set)
    # Local names that imports bind to a spawn or tracker function (`as spawn`).
    aliases: dict[str, str] = field(default_factory=dict)
    # Every name an import binds (`asyncio`, `aio`, `create_task`).
    imported: set[str] = field(default_factory=set)
    # The called expressions of calls whose result is thrown away.
    discarded: list[ast.expr] = field(default_factory=list)
    # Names assigned the result of a call, with the called names.
    assigned_calls: dict[str, set[str]] = field(default_factory=dict)
    # The called names of calls inside synchronous lifecycle methods.
    in_lifecycle: set[str] = field(default_factory=set)
    # The called names of `async with <call> as <name>` items.
    entered: set[str] = field(default_factory=set)
    # The identifiers of parameter annotations (quoted ones too).
    annotating: set[str] = field(default_factory=set)
    list_buffer: bool = False

    def calls(self, called: Set[str], words: Set[str]) -> bool:
        """Whether a name in ``called`` is one of ``words`` or an alias of one."""
        return any(name in words or self.aliases.get(name) in words for name in called)

    def spawns(self, func: ast.expr) -> bool:
        """Whether calling ``func`` may spawn a task TG003 knows (see the module)."""
        if isinstance(func, ast.Name):
            return self.calls({func.id}, SPAWN_WORDS)
        if not isinstance(func, ast.Attribute) or func.attr not in SPAWN_WORDS:
            return False
        owner = func.value
        if func.attr == "create_task" and self._running_loop(owner):
            return True
        while isinstance(owner, ast.Attribute):
            owner = owner.value
        return isinstance(owner, ast.Name) and owner.id in self.imported

    def _running_loop(self, owner: ast.expr) -> bool:
        """``get_running_loop()``, or a name assigned it somewhere."""
        if isinstance(owner, ast.Call):
            called = _called_name(owner)
            return called is not None and self.calls({called}, RUNNING_LOOP)
        if isinstance(owner, ast.Name):
            return self.calls(self.assigned_calls.get(owner.id, set()), RUNNING_LOOP)
        return False


class Asked(Protocol):
    """What the relevance of a file is asked of: a codemod's spec."""

    @property
    def code(self) -> str: ...

    def relevant(self, seen: Seen, settings: Settings) -> bool:
        """Whether it could change or report the text, by the text's own facts."""
        ...

    def reachable(self, seen: Seen, settings: Settings) -> bool:
        """Whether it could, given some answers of the project index."""
        ...


def relevant_codes(
    syntax: Syntax, asked: Sequence[Asked], settings: Settings
) -> frozenset[str]:
    """The codes of the codemods ``asked`` that could change or report the text."""
    return judge(syntax, asked, settings).codes


def judge(syntax: Syntax, asked: Sequence[Asked], settings: Settings) -> Relevance:
    """What the text's ``ast`` says about the codemods ``asked`` (see the module)."""
    tree = syntax.tree
    if tree is None:
        every = frozenset(spec.code for spec in asked)
        return Relevance(every, every, None)
    seen = walk(tree, syntax.text, frozenset(settings.lifecycle_methods))
    relevant = frozenset(spec.code for spec in asked if spec.relevant(seen, settings))
    reachable = relevant | {
        spec.code for spec in asked if spec.reachable(seen, settings)
    }
    return Relevance(relevant, frozenset(reachable), frozenset(seen.identifiers))


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def walk(tree: ast.Module, text: str, lifecycle_methods: frozenset[str]) -> Seen:
    """One walk of ``tree`` (of ``text``), gathering what the questions read."""
    seen = Seen(text, tree)
    names = seen.identifiers
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            imported = node.name.rpartition(".")[2]
            names.add(imported)
            seen.imported.add(node.asname or node.name.partition(".")[0])
            if node.asname is not None:
                names.add(node.asname)
                seen.aliases[node.asname] = imported
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            seen.discarded.append(node.value.func)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            _note_assigned_call(node, seen)
            if isinstance(node, ast.AnnAssign):
                names.update(_quoted_words(node.annotation))
        elif isinstance(node, ast.arg):
            words = _annotation_words(node.annotation)
            names.update(words)
            seen.annotating.update(words)
        elif isinstance(node, ast.AsyncWith):
            seen.entered.update(
                called
                for item in node.items
                if isinstance(item.context_expr, ast.Call)
                and isinstance(item.optional_vars, ast.Name)
                and (called := _called_name(item.context_expr)) is not None
            )
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
            names.update(_quoted_words(node.returns))
            if isinstance(node, ast.FunctionDef) and node.name in lifecycle_methods:
                seen.in_lifecycle.update(
                    called
                    for inner in ast.walk(node)
                    if isinstance(inner, ast.Call)
                    and (called := _called_name(inner)) is not None
                )
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            if not seen.list_buffer:
                seen.list_buffer = _declares_list_buffer(node)
    return seen


def _note_assigned_call(
    node: ast.Assign | ast.AnnAssign | ast.NamedExpr, seen: Seen
) -> None:
    """Record ``name = f(...)`` (for ``loop = asyncio.get_running_loop()``)."""
    value = node.value
    if not isinstance(value, ast.Call) or (called := _called_name(value)) is None:
        return
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        if isinstance(target, ast.Name):
            seen.assigned_calls.setdefault(target.id, set()).add(called)


def _annotation_words(annotation: ast.expr | None) -> set[str]:
    """The identifiers of ``annotation``, and the words of its strings."""
    if annotation is None:
        return set()
    words = set(_quoted_words(annotation))
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
    return words


def _quoted_words(annotation: ast.expr | None) -> list[str]:
    """The words of the strings in ``annotation`` (``"asyncio.TaskGroup"``: names
    LibCST's side resolves as if unquoted)."""
    if annotation is None:
        return []
    return [
        word
        for node in ast.walk(annotation)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for word in WORD.findall(node.value)
    ]


def _declares_list_buffer(node: ast.ClassDef) -> bool:
    """``self.<x>[: T] = []`` or ``= deque(...)`` among the statements of the class's
    ``__init__``, in a class that awaits (TG004's drain writes its batch with one)."""
    for statement in node.body:
        if (
            not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            or statement.name != "__init__"
        ):
            continue
        for small in statement.body:
            if isinstance(small, (ast.Assign, ast.AnnAssign)) and _empty_buffer(
                small.value
            ):
                return _awaits(node)
    return False


def _empty_buffer(value: ast.expr | None) -> bool:
    if isinstance(value, ast.List):
        return not value.elts
    return isinstance(value, ast.Call) and (
        (isinstance(value.func, ast.Name) and value.func.id == "deque")
        or (isinstance(value.func, ast.Attribute) and value.func.attr == "deque")
    )


def _awaits(node: ast.ClassDef) -> bool:
    return any(
        isinstance(inner, (ast.AsyncWith, ast.Await)) for inner in ast.walk(node)
    )
