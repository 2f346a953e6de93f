"""Lines of a tree's nodes, without LibCST's ``PositionProvider`` where the ``ast``
already knows them.

``PositionProvider`` generates the code of the whole tree to count its lines and
columns: a tenth of a dense file's time, while most trees are asked only the lines
of their functions and classes (which a codemod skips when they spell none of its
words, ``Codemod.spells``, and which the index's facts record). CPython's ``ast`` of
the very text LibCST parsed has those: a ``def``'s ``lineno`` is its ``def`` (or
``async``) line, its decorators left out, and its ``end_lineno`` the last line of its
last statement, exactly LibCST's syntactic position of a ``FunctionDef``/``ClassDef``.
The two trees list their functions and classes in the same source pre-order, matched
by order, name and kind; should they disagree anywhere, the tree's lines all come
from ``PositionProvider``.

The other lines the facts ask (a call site's, a method use's, the span a ``# noqa``
must cover) are of nodes in functions whose lines spelled what the facts look for
(``spells``) or whose calls they record (``within``): they come from generating that
function's code alone, whose line breaks, offset by the function's line, are the
module's. Anything else (a finding's place, a rewrite's column) is answered from
the code of the node's innermost function or class alone (``position``), generated
with LibCST's position tracking inside the indentation of the blocks around it, so
its nodes' columns are the module's and its lines the module's shifted by where the
definition starts, which the ``ast`` gives; a node outside every definition takes its
top-level statement's code, the module's and the ``ast``'s statements matched in order
and kind. Should the two trees disagree, or for a node outside every statement,
``PositionProvider`` is computed for the whole tree and kept. A tree on which nothing
is reported or rewritten never pays for either.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from codemods.cst.names import dotted
from codemods.cst.statement_positions import (
    cpython_name,
    generated_positions,
    indents,
    path_to,
    starts,
)

Definition = cst.FunctionDef | cst.ClassDef
_AstDefinition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
LineSpan = tuple[int, int]  # first and last line, 1-based
LineOf = Callable[[cst.CSTNode], int]
# How LibCST counts a line break while it generates code (``position_provider.py``).
_NEWLINE = re.compile(r"\r\n?|\n")
# The clauses of a compound statement, after its own body, in source order.
_CLAUSES = ("handlers", "cases")
_TAIL_CLAUSES = ("orelse", "finalbody")


class TreeLines:
    """Line spans of the nodes of one tree (``wrapper``'s), parsed from ``text``
    (None: not known) whose ``ast`` is ``tree`` (None: parsed on first need)."""

    def __init__(
        self,
        wrapper: MetadataWrapper,
        text: str | None = None,
        tree: ast.Module | None = None,
    ) -> None:
        self.wrapper, self._text, self._tree = wrapper, text, tree
        # id of a definition -> the node (kept, so its id is not reused) and its span;
        # None until read; empty when the two trees could not be matched.
        self._definitions: dict[int, tuple[Definition, LineSpan]] | None = None
        # The functions whose nodes' lines come from their own code (``spells``,
        # ``within``), latest last: each function's first line, and its nodes' spans
        # once one is asked.
        self._functions: dict[int, _Function] = {}
        self._twins: dict[int, _AstDefinition] = {}  # the `ast` node of a definition
        # The lines each top-level statement's syntactic position starts and ends on
        # (None until read; empty when the two trees could not be matched), the
        # positions of the nodes of the statements, functions and classes generated
        # alone, and the top-level statement a codemod's walk is in.
        self._starts: dict[int, tuple[int, int]] | None = None
        self._positions: dict[cst.CSTNode, CodeRange] = {}
        self.entered: cst.CSTNode | None = None
        self.whole_tree = False  # whether ``PositionProvider`` was computed

    def span(self, node: cst.CSTNode) -> LineSpan:
        """``node``'s first and last lines, as ``PositionProvider`` gives them."""
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            known = self.definitions().get(id(node))
            if known is not None and known[0] is node:
                return known[1]
        found = self._in_functions(node)
        if found is not None:
            return found
        where = self.position(node)
        return where.start.line, where.end.line

    def line(self, node: cst.CSTNode) -> int:
        return self.span(node)[0]

    def position(self, node: cst.CSTNode) -> CodeRange:
        """``PositionProvider``'s range of ``node`` (KeyError: not in the tree): from
        the code of its innermost function or class alone, or of its top-level
        statement, else (see the module's doc) from ``PositionProvider`` computed for
        the whole tree (kept by the wrapper)."""
        if not self.whole_tree and self._statement_starts():
            found = self._positions.get(node)
            if found is None:
                path = self._path_to(node)
                if path is not None and self._generate(path):
                    found = self._positions.get(node)
            if found is not None:
                return found
        self.whole_tree = True
        return self.wrapper.resolve(PositionProvider)[node]

    def enter(self, node: cst.CSTNode) -> None:
        """Note the top-level statement (or module-level line) a walk enters: the
        first one searched for a node asked about."""
        self.entered = node

    def _path_to(self, node: cst.CSTNode) -> list[cst.CSTNode] | None:
        """The nodes from a top-level statement down to ``node`` (the statement
        entered searched first)."""
        entered = self.entered
        others = [s for s in self.wrapper.module.body if s is not entered]
        for statement in others if entered is None else (entered, *others):
            path = path_to(statement, node)
            if path is not None:
                return path
        return None

    def _generate(self, path: list[cst.CSTNode]) -> bool:
        """Record the positions of the nodes of the innermost function or class of
        ``path`` whose lines are known, from its own code indented as it stands,
        else of its top-level statement (``path[0]``), when its start is known."""
        for depth in range(len(path) - 1, 0, -1):
            node = path[depth]
            if not isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                continue
            known = self.definitions().get(id(node))
            if known is not None and known[0] is node:
                made = indents(self.wrapper.module, path[:depth])
                return self._record(node, known[1], made)
        statement = path[0]
        start = self._statement_starts().get(id(statement))
        return start is not None and self._record(statement, start, [])

    def _record(self, node: cst.CSTNode, span: LineSpan, made: list[str]) -> bool:
        """Record the positions of ``node``'s nodes, generated inside blocks indented
        by ``made``, where ``node`` spans ``span``."""
        computed = generated_positions(self.wrapper.module, node, made)
        own = computed[node]
        shift = span[0] - own.start.line
        if own.end.line + shift != span[1]:
            self._starts = {}  # the `ast` is not of this tree's text after all
            return False
        for inner, where in computed.items():
            self._positions[inner] = CodeRange(
                (where.start.line + shift, where.start.column),
                (where.end.line + shift, where.end.column),
            )
        return True

    def _statement_starts(self) -> dict[int, tuple[int, int]]:
        if self._starts is None:
            tree = self._ast()
            self._starts = {} if tree is None else starts(self.wrapper.module, tree)
        return self._starts

    def end_line(self) -> int:
        """The line LibCST's position of the module ends on."""
        text = self._text
        if text is None:
            return self.position(self.wrapper.module).end.line
        # LibCST generates a text's last line with a line break (then drops it).
        unended = text != "" and not text.endswith(("\n", "\r"))
        return 1 + len(_NEWLINE.findall(text)) + unended

    def spells(
        self, node: cst.CSTNode, lines: Sequence[str], words: Iterable[str]
    ) -> bool:
        """Whether the ``lines`` of ``node`` (the tree's text's) spell one of
        ``words``; the nodes of a function that does are then told their lines from
        its own code (``within``): the questions about a node come from where
        something is spelled."""
        first, last = self.span(node)
        chunk = "".join(lines[first - 1 : last])
        spelled = any(word in chunk for word in words)
        if spelled and isinstance(node, cst.FunctionDef):
            self.within(node)
        return spelled

    def within(self, function: cst.FunctionDef) -> LineOf:
        """Lines of the nodes of ``function`` (its own code, or nested) from the code
        of ``function`` alone, generated on the first question, when its own line is
        known without positions; ``line`` for any other node."""
        known = self.definitions().get(id(function))
        if known is None or known[0] is not function:
            return self.line
        held = self._functions.pop(id(function), None)
        held = self._functions[id(function)] = held or _Function(
            function, known[1][0], self._twins[id(function)]
        )

        def line_of(node: cst.CSTNode) -> int:
            # A call whose callee the function's `ast` spells once is that call.
            spelled = dotted(node.func) if isinstance(node, cst.Call) else None
            found = None if spelled is None else held.calls().get(spelled)
            return self.line(node) if found is None else found

        return line_of

    def _in_functions(self, node: cst.CSTNode) -> LineSpan | None:
        """``node``'s span from the code of a function ``within`` was given: the
        latest first, those already generated before the others."""
        held = list(reversed(self._functions.values()))
        for function in sorted(held, key=lambda function: function.spans is None):
            if function.spans is None:
                function.spans = _local_spans(
                    self.wrapper.module, function.node, function.first
                )
            found = function.spans.get(node)
            if found is not None:
                return found
        return None

    def definitions(self) -> dict[int, tuple[Definition, LineSpan]]:
        if self._definitions is None:
            self._definitions = self._match()
        return self._definitions

    def _ast(self) -> ast.Module | None:
        """The ``ast`` of the tree's text (parsed on first need), if known."""
        if self._tree is None and self._text is not None:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # the whole text's parse warned
                    self._tree = ast.parse(self._text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._text = None  # not to be tried again
        return self._tree

    def _match(self) -> dict[int, tuple[Definition, LineSpan]]:
        tree = self._ast()
        if tree is None:
            return {}
        found: dict[int, tuple[Definition, LineSpan]] = {}
        theirs = _ast_definitions(tree.body)
        for ours in _cst_definitions(self.wrapper.module.body):
            twin = next(theirs, None)
            if twin is None or not _same(ours, twin) or twin.end_lineno is None:
                return {}
            found[id(ours)] = ours, (twin.lineno, twin.end_lineno)
            self._twins[id(ours)] = twin
        return {} if next(theirs, None) is not None else found


def _same(ours: Definition, theirs: _AstDefinition) -> bool:
    if isinstance(ours, cst.ClassDef):
        kind_agrees = isinstance(theirs, ast.ClassDef)
    else:
        is_async = ours.asynchronous is not None
        kind_agrees = isinstance(
            theirs, ast.AsyncFunctionDef if is_async else ast.FunctionDef
        )
    return kind_agrees and cpython_name(ours.name.value) == theirs.name


def _cst_definitions(statements: Iterable[cst.CSTNode]) -> Iterator[Definition]:
    """The functions and classes of ``statements``, nested ones too, in source
    pre-order (no expression is walked: none holds a statement)."""
    for statement in statements:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            yield statement
        if isinstance(statement, cst.BaseCompoundStatement):
            yield from _cst_clause(statement)


def _cst_clause(clause: cst.CSTNode) -> Iterator[Definition]:
    body = getattr(clause, "body", None)
    if isinstance(body, cst.IndentedBlock):
        yield from _cst_definitions(body.body)
    for name in _CLAUSES:
        for inner in getattr(clause, name, ()):
            yield from _cst_clause(inner)
    for name in _TAIL_CLAUSES:
        tail = getattr(clause, name, None)
        if tail is not None:
            yield from _cst_clause(tail)  # an `elif` is an `If` clause


def _ast_definitions(statements: Sequence[ast.AST]) -> Iterator[_AstDefinition]:
    """The ``ast`` twin of ``_cst_definitions``, in the same order."""
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield statement
        for name in ("body", *_CLAUSES, *_TAIL_CLAUSES):
            inner = getattr(statement, name, None)
            if isinstance(inner, list):
                yield from _ast_definitions(inner)


@dataclass
class _Function:
    """A function whose nodes' lines come from its own code: its ``def``'s line, and
    once generated, its nodes' spans."""

    node: cst.FunctionDef
    first: int
    twin: _AstDefinition
    spans: dict[cst.CSTNode, LineSpan] | None = None
    _calls: dict[str, int] | None = None

    def calls(self) -> dict[str, int]:
        """The line of each call in the function's `ast` whose callee (a dotted
        name) no other call in it spells."""
        if self._calls is None:
            lines: dict[str, list[int]] = {}
            for node in ast.walk(self.twin):
                if isinstance(node, ast.Call):
                    spelled = _ast_dotted(node.func)
                    if spelled is not None:
                        lines.setdefault(spelled, []).append(node.lineno)
            self._calls = {name: at[0] for name, at in lines.items() if len(at) == 1}
        return self._calls


def _ast_dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def _local_spans(
    module: cst.Module, function: cst.FunctionDef, first: int
) -> dict[cst.CSTNode, LineSpan]:
    """The lines of every node of ``function``, in ``module`` where the line of
    ``function``'s ``def`` is ``first``: the line breaks of generated code are the
    same wherever the function stands (only indentation, never a line, depends on
    it)."""
    computed = generated_positions(module, function)
    shift = first - computed[function].start.line
    return {
        node: (where.start.line + shift, where.end.line + shift)
        for node, where in computed.items()
    }
