"""Source text as Python reads it, and new text that keeps every byte no codemod touched."""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from codemods.core.line_diff import line_opcodes

# CPython refuses more than 200 nested brackets; LibCST's native parser crashes on far fewer
# than it can be fed, so deeper files are checked with the standard parser first.
MAX_BRACKET_DEPTH = 200
_BRACKETS = re.compile(rb"[][(){}]")
# Larger files are reported, not parsed (the standard library's largest is 0.75 MB).
MAX_SOURCE_BYTES = 2 * 1024 * 1024
# A line as Python counts them: ended by \n, \r\n or \r, and by nothing else.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_FINAL_NEWLINE = re.compile(r"(?:\r\n|\r|\n)\Z")
# The oldest grammar ``ast.parse(feature_version=...)`` knows.
OLDEST_GRAMMAR = (3, 7)


class SourceError(Exception):
    """The file cannot be decoded or is not Python text; carries a 1-based position."""

    def __init__(self, kind: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    # Codec name as `tokenize.detect_encoding` gives it; "utf-8-sig" means a BOM.
    encoding: str

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def decode(raw: bytes) -> Decoded:
    """Decode like the interpreter: BOM, then a PEP 263 cookie, else UTF-8."""
    nul = raw.find(b"\x00")
    if nul != -1:
        line, col = _position(raw, nul)
        raise SourceError("decode", "binary content: NUL byte", line, col)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        raise SourceError("decode", str(exc), exc.lineno or 1) from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        raise SourceError(
            "decode", f"cannot decode as {encoding}: {exc.reason}", line, col
        ) from None
    except LookupError:
        raise SourceError("decode", f"unknown encoding {encoding!r}") from None
    return Decoded(text, encoding)


def check_size(raw: bytes) -> None:
    """Reject files too large to parse: LibCST needs ~400 MB and ~10 s a megabyte, so a
    generated 20 MB module would exhaust a worker's memory long before its time limit."""
    if len(raw) > MAX_SOURCE_BYTES:
        size = len(raw) / 1024 / 1024
        limit = MAX_SOURCE_BYTES // 1024 // 1024
        raise SourceError(
            "parse", f"too large to parse ({size:.1f} MB, the limit is {limit} MB)"
        )


def check_nesting(raw: bytes) -> None:
    """Reject files nested deeper than CPython allows before LibCST sees them.

    Counting every bracket (even in strings) over-estimates; only then is the standard
    parser asked, which knows strings from code and fails cleanly.
    """
    if raw.count(b"(") + raw.count(b"[") + raw.count(b"{") <= MAX_BRACKET_DEPTH:
        return
    depth = deepest = 0
    for match in _BRACKETS.finditer(raw):
        if match.group() in b"([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if deepest <= MAX_BRACKET_DEPTH:
        return
    try:
        ast.parse(raw)
    except SyntaxError as exc:
        raise SourceError("parse", exc.msg, exc.lineno or 1, exc.offset or 1) from None
    except (RecursionError, MemoryError):
        raise SourceError("parse", "too deeply nested to parse") from None


def syntax_error(text: str, fallback: str, line: int, col: int) -> SourceError:
    """The clearest report of why ``text`` does not parse.

    CPython's parser says it best ("'(' was never closed", with the right position); only
    when it accepts the text (syntax LibCST does not know) is LibCST's message used.
    """
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return SourceError("parse", exc.msg, exc.lineno or line, exc.offset or col)
    except (RecursionError, MemoryError, ValueError):
        pass
    return SourceError("parse", f"LibCST cannot parse this: {fallback}", line, col)


def compile_error(text: str, target: tuple[int, int] | None) -> SyntaxError | None:
    """Why ``text`` would not compile on Python ``target`` (None: the running one), or
    None when it would.

    Both the grammar of ``target`` (a ``match`` is an error for 3.9) and the compiler's
    own checks, which ``ast.parse`` alone does not make (``'yield from' inside async
    function``); code is never run.
    """
    grammar = None
    if target is not None:
        grammar = max(OLDEST_GRAMMAR, min(target, sys.version_info[:2]))
    try:
        tree = ast.parse(text, feature_version=grammar)
        compile(tree, "<rewritten>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return exc
    except (RecursionError, MemoryError, ValueError):
        return None  # too deep to tell: LibCST parsed it
    return None


def spelled_as_read(text: str) -> str:
    """``text`` with its identifiers as CPython reads them (NFKC: a full-width
    ``\uff43reate_task`` is ``create_task``), for word searches; the same text when
    it is all ASCII."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python and LibCST count them, each with its ending.

    ``str.splitlines`` also breaks at a form feed, ``\\v``, ``\\x1c``-``\\x1e``, ``\\x85``,
    ``\\u2028`` and ``\\u2029``, which Python source may hold inside a line (a form feed
    alone on a line is a common page break); counting those would shift every later line.
    """
    return _LINE.findall(text)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def preserve(original: str, roundtrip: str, new: str) -> str:
    """``new`` with LibCST's lossy re-printing undone wherever no codemod changed a line.

    ``roundtrip`` is how LibCST prints the unchanged tree of ``original``. The line diff
    roundtrip -> new is what the codemods did; it is replayed onto ``original``.
    """
    if roundtrip == original:
        return new
    return _keep_final_newline(original, roundtrip, _replay(original, roundtrip, new))


def _replay(original: str, roundtrip: str, new: str) -> str:
    old_lines = split_lines(original)
    printed = split_lines(roundtrip)
    new_lines = split_lines(new)
    to_original = _line_pairs(old_lines, printed)
    if to_original is None:
        return new
    out: list[str] = []
    for tag, i1, i2, j1, j2 in line_opcodes(printed, new_lines):
        if tag == "equal":
            out.extend(old_lines[to_original[k]] for k in range(i1, i2))
        else:
            out.extend(new_lines[j1:j2])
    return "".join(out)


def _keep_final_newline(original: str, roundtrip: str, new: str) -> str:
    """Give back the final line ending LibCST drops when it prints a file ending in \\r."""
    ending = _FINAL_NEWLINE.search(original)
    if ending is None or not new or roundtrip.endswith(("\n", "\r")):
        return new
    return new if new.endswith(("\n", "\r")) else new + ending.group()


def _line_pairs(old: Sequence[str], printed: Sequence[str]) -> list[int] | None:
    """For each printed line, the original line it stands for; None if lines were lost."""
    if len(old) == len(printed):
        return list(range(len(old)))
    pairs: list[int] = []
    for tag, i1, i2, j1, j2 in line_opcodes(old, printed):
        if tag != "equal" and i2 - i1 != j2 - j1:
            return None
        pairs.extend(range(i1, i2))
    return pairs


class LineMap:
    """Maps 1-based line numbers of ``derived`` text back to ``base`` text.

    Lines are compared without their indentation, so a block a codemod only moved in
    or out (a body wrapped in ``async with``) maps line for line, and ``place`` moves a
    column by the change of indentation. A line of a block that replaced as many lines
    maps to its counterpart (a call rewritten in place keeps its line, and the
    ``# noqa`` on it); a line of any other changed block maps to the first line of the
    block it replaced.
    """

    _base_lines: int

    def __init__(self, base: str, derived: str) -> None:
        base_lines, derived_lines = split_lines(base), split_lines(derived)
        self._base_lines = max(1, len(base_lines))
        self._base, self._derived = base_lines, derived_lines
        self._base_indents = [_indent(line) for line in base_lines]
        self._derived_indents = [_indent(line) for line in derived_lines]
        self._starts: list[int] = []
        self._blocks: list[tuple[bool, int, int]] = []
        self._equal: list[bool] = []
        stripped_base = [line.strip() for line in base_lines]
        stripped_derived = [line.strip() for line in derived_lines]
        for tag, i1, i2, j1, j2 in line_opcodes(stripped_base, stripped_derived):
            if j1 == j2:
                continue
            self._starts.append(j1)
            self._blocks.append((tag == "equal" or i2 - i1 == j2 - j1, i1, j1))
            self._equal.append(tag == "equal")

    def span(self, line: int) -> range:
        """The 1-based ``base`` lines ``line`` of ``derived`` may come from: its
        counterpart, or every line of the block it replaced."""
        index = bisect_right(self._starts, line - 1) - 1
        if index < 0 or self._blocks[index][0]:
            mapped = self(line)
            return range(mapped, mapped + 1)
        first = self._blocks[index][1] + 1
        following = index + 1
        last = (
            self._blocks[following][1] + 1
            if following < len(self._blocks)
            else self._base_lines + 1
        )
        return range(first, max(first + 1, last))

    def place(self, line: int, col: int) -> tuple[int, int]:
        """``line`` and ``col`` (1-based) of ``derived`` as a place in ``base``."""
        mapped = self(line)
        index = bisect_right(self._starts, line - 1) - 1
        if index < 0 or line > len(self._derived_indents):
            return mapped, col
        if not self._equal[index]:
            return self._found(index, line, col) or (mapped, col)
        shift = self._base_indents[mapped - 1] - self._derived_indents[line - 1]
        return mapped, max(1, col + shift)

    def _found(self, index: int, line: int, col: int) -> tuple[int, int] | None:
        """The place in the replaced lines of the text from ``col`` of a changed line
        (a call, a carried comment), if they hold it: the k-th of the block's lines
        holding it for the k-th such line of the new block, as far as there are any."""
        tail = self._derived[line - 1][col - 1 :].rstrip("\r\n")
        if not tail.strip():
            return None
        before = sum(
            tail in text for text in self._derived[self._starts[index] : line - 1]
        )
        holders = [
            (number, text.find(tail) + 1)
            for number in self.span(line)
            if number <= len(self._base) and tail in (text := self._base[number - 1])
        ]
        return holders[min(before, len(holders) - 1)] if holders else None

    def __call__(self, line: int) -> int:
        index = bisect_right(self._starts, line - 1) - 1
        if index < 0:
            return line
        line_for_line, i1, j1 = self._blocks[index]
        if line_for_line:
            return i1 + (line - 1 - j1) + 1
        # A replaced block maps to its first line; inserted lines to the line they precede.
        return min(i1 + 1, self._base_lines)
