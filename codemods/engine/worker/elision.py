"""Function bodies no selected codemod could touch, left out of what LibCST parses.

LibCST works out its metadata (positions, scopes) for every node of the tree it is
given, and that is most of what a parsed file costs. A large module is mostly functions
that spell none of the words the selected codemods act on, so LibCST is given the
module with each such body replaced by one line, ``...  # elided L40-L51``; headers,
decorators, comments and everything outside those bodies stay byte for byte.

A body is kept when its function is ``__init__``, or its lines spell, as a whole word,
a word of a codemod that may run (its spec's ``kept_words``: its own words and whatever
it reads across a class or module), a ``# noqa`` directive, or ``global`` or ``nonlocal``
(which reach out of the function's own scope). When the project index's facts are
collected too, so is a lifecycle method's (what it spawns is a fact) and a method's
that assigns an attribute of its receiver (an attribute's type is a fact, read from
every such assignment). Only the functions at the top of the module and the methods at
the top of its classes are candidates; whatever is nested in a kept body is kept with
it. Only the codemods the text's ``ast`` says may act are planned for, and those of the
project index, whose answers can reach anywhere.

Nothing is taken on trust: a finding inside an elided function, a change to one, or a
codemod running that the elision was not planned for makes the caller start over with
the whole text (``transform.transform_module``). Runs without the prefilter (the
robustness tests) never elide, so the tests compare both.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from codemods.analysis.relevance import Relevance
from codemods.analysis.syntax import Syntax
from codemods.core.asyncio_names import TASKGROUP
from codemods.core.line_diff import line_opcodes
from codemods.core.settings import Settings
from codemods.core.source import spelled_as_read, split_lines
from codemods.rules import registry
from codemods.rules.specs import with_aliases

# Spelled anywhere in a function, these keep its body (see the module docstring).
_ALWAYS = re.compile(r"#\s*noqa|\bglobal\b|\bnonlocal\b", re.IGNORECASE)
_ENDING = re.compile(r"(\r\n|\r|\n)\Z")
_NEVER = re.compile(r"(?!)")
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Plan:
    """What keeps a body: the words of the codemods that may run, and whether facts
    are collected (``planned``: those codemods' codes)."""

    words: tuple[str, ...]
    facts: bool
    planned: frozenset[str]

    def spelled(self, chunk: str) -> bool:
        """Whether ``chunk`` spells one of the words, as a whole word: code acts on
        identifiers (``start``, not ``started``)."""
        return self._pattern.search(chunk) is not None

    @property
    def _pattern(self) -> re.Pattern[str]:
        return _words_pattern(self.words)


@dataclass(frozen=True)
class Elided:
    """A text with bodies elided, and how its lines stand for the whole text's."""

    text: str
    # For each line of ``text``, the 1-based line of the whole text it is (the first
    # line of the body it stands for, for a placeholder).
    origin: tuple[int, ...]
    # Indices (0-based) of the lines of ``text`` that belong to an elided function
    # (its decorators, header and placeholder); ``interior``: all but the first.
    guarded: frozenset[int]
    interior: frozenset[int]
    # Each placeholder's index -> the whole text's lines (first, last) it stands for.
    spans: Mapping[int, tuple[int, int]]

    def whole_line(self, line: int) -> int:
        """The whole text's line for 1-based ``line`` of ``text``."""
        if line < 1:
            return line
        if line > len(self.origin):
            return (self.origin[-1] if self.origin else 0) + line - len(self.origin)
        return self.origin[line - 1]

    def inside(self, line: int) -> bool:
        """Whether 1-based ``line`` of ``text`` belongs to an elided function."""
        return line - 1 in self.guarded

    def splice(self, whole: str, new: str) -> str | None:
        """The whole text with the change ``text`` -> ``new`` made to it; None when the
        change touches an elided function (it was not meant to be touched)."""
        old_lines, new_lines = split_lines(self.text), split_lines(new)
        whole_lines = split_lines(whole)
        out: list[str] = []
        for tag, i1, i2, j1, j2 in line_opcodes(old_lines, new_lines):
            if tag == "equal":
                for index in range(i1, i2):
                    first, last = self.spans.get(index, (self.origin[index],) * 2)
                    out.extend(whole_lines[first - 1 : last])
                continue
            if self.guarded.intersection(range(i1, i2)) or i1 in self.interior:
                return None
            out.extend(new_lines[j1:j2])
        return "".join(out)


def plan(
    codes: Collection[str],
    settings: Settings,
    text: str,
    relevance: Relevance | None,
    *,
    facts: bool,
) -> Plan | None:
    """What keeps a body when ``codes`` run over ``text`` (None: keep every body).

    Only the codemods ``relevance`` says may act are planned for (and the index's,
    whose answers can reach anywhere); one whose every body matters (``kept_words``
    None: TG004 reads a whole class and module) rules elision out."""
    if relevance is None or relevance.names is None:
        return None  # not judged (no prefilter), or not even `ast` parses it
    words: list[str] = []
    planned: set[str] = set()
    may_run = relevance.codes | relevance.reachable
    for spec in registry.CODEMODS:
        # A codemod that cannot act at first is left out; should an earlier one's
        # change give it its trigger words after all, the caller starts over.
        if spec.code not in codes or not (spec.code in may_run or spec.uses_index):
            continue
        kept = spec.body_words(settings, text)
        if kept is None:
            return None
        words.extend(kept)
        planned.add(spec.code)
    if facts:
        # What a lifecycle method spawns is a fact (the others' spawns are facts
        # only through TG003, whose words keep them).
        words.extend(settings.lifecycle_methods)
        if any(spec.gains is not None for spec in registry.specs_of(tuple(codes))):
            # Calls made holding a TaskGroup are facts: they decide who gains one
            # (``analysis/passing.py``), in files no such codemod changes too.
            words.extend(with_aliases((TASKGROUP,), text))
    return Plan(tuple(dict.fromkeys(words)), facts, frozenset(planned))


def elide(syntax: Syntax, wanted: Plan) -> Elided | None:
    """The text of ``syntax`` with the bodies ``wanted`` does not keep elided (None:
    none is, or its ``ast`` does not parse)."""
    tree = syntax.tree
    if tree is None:
        return None
    lines = split_lines(syntax.text)
    cuts = [
        cut
        for function, receiver in _candidates(tree)
        if not _keeps(function, receiver, lines, wanted)
        and (cut := _cut(function, lines)) is not None
    ]
    if not cuts:
        return None
    return _assemble(lines, cuts)


@dataclass(frozen=True)
class _Cut:
    """An elided function: its first line (a decorator's, else the ``def``), and the
    lines of its body, replaced by ``placeholder``."""

    first: int
    body_first: int
    body_last: int
    placeholder: str


def _candidates(tree: ast.Module) -> Iterator[tuple[Function, str | None]]:
    """Top-level functions (no receiver) and the methods of top-level classes (with
    their first positional parameter, the receiver, if any)."""
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement, None
        elif isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    positional = [*member.args.posonlyargs, *member.args.args]
                    yield member, positional[0].arg if positional else None


def _first_line(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _keeps(
    function: Function, receiver: str | None, lines: Sequence[str], wanted: Plan
) -> bool:
    if function.name == "__init__":
        return True
    end = function.end_lineno or function.lineno
    chunk = "".join(lines[_first_line(function) - 1 : end])
    chunk = spelled_as_read(chunk)
    if _ALWAYS.search(chunk) or wanted.spelled(chunk):
        return True
    return wanted.facts and receiver is not None and _assigns(function, receiver)


def _assigns(function: Function, receiver: str) -> bool:
    """Whether ``function`` stores an attribute of ``receiver`` (anywhere in it)."""
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == receiver
        for node in ast.walk(function)
    )


def _cut(function: Function, lines: Sequence[str]) -> _Cut | None:
    """How to elide ``function``'s body, when its lines allow it: the body starts on a
    line of its own and spans more than one line."""
    first = function.body[0]
    start, end = _first_line(first), function.end_lineno
    if end is None or start <= function.lineno or end <= start:
        return None
    opening = lines[start - 1]
    indent = opening[: len(opening) - len(opening.lstrip(" \t"))]
    begins = opening[len(indent) :]
    if len(indent) != first.col_offset and not begins.startswith("@"):
        return None  # something precedes the statement on its line
    closing = lines[end - 1].encode("utf-8")
    rest = closing[function.end_col_offset or len(closing) :].strip()
    if rest and not rest.startswith(b"#"):
        return None  # only a comment can follow a function's end; checked all the same
    ending = _ENDING.search(lines[end - 1])
    placeholder = f"{indent}...  # elided L{start}-L{end}"
    return _Cut(
        _first_line(function),
        start,
        end,
        placeholder + ("" if ending is None else ending.group()),
    )


def _assemble(lines: Sequence[str], cuts: Sequence[_Cut]) -> Elided:
    out: list[str] = []
    origin: list[int] = []
    guarded: set[int] = set()
    interior: set[int] = set()
    spans: dict[int, tuple[int, int]] = {}
    line = 1
    for cut in cuts:
        for number in range(line, cut.body_first):
            if number >= cut.first:
                guarded.add(len(out))
                if number > cut.first:
                    interior.add(len(out))
            out.append(lines[number - 1])
            origin.append(number)
        guarded.add(len(out))
        interior.add(len(out))
        spans[len(out)] = (cut.body_first, cut.body_last)
        out.append(cut.placeholder)
        origin.append(cut.body_first)
        line = cut.body_last + 1
    for number in range(line, len(lines) + 1):
        out.append(lines[number - 1])
        origin.append(number)
    return Elided(
        "".join(out), tuple(origin), frozenset(guarded), frozenset(interior), spans
    )


@lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return _NEVER
    return re.compile("|".join(_bounded(word) for word in sorted(words)))


def _bounded(word: str) -> str:
    # A boundary only where the word's own edge is a word character: `.start(` must
    # match inside `self.start(`, where a letter comes before the dot.
    before = r"(?<!\w)" if _is_word_char(word[:1]) else ""
    after = r"(?!\w)" if _is_word_char(word[-1:]) else ""
    return before + re.escape(word) + after


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
