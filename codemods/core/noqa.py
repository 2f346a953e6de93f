"""``# noqa`` comments: which lines suppress which codes, and which suppressed anything.

``# noqa`` alone suppresses every codemod on its line; ``# noqa: TG001, TG003`` only
those. Another tool's code for the same problem counts as ours, as Ruff maps flake8's
codes (``EQUIVALENT_CODES``): ``# noqa: RUF006`` suppresses TG003.
As in Ruff, a finding is suppressed by a comment on the line where it starts; one on an
expression or simple statement spanning several lines, by a comment on any of them (a
fix rewrites them all, and a line marked ``# noqa`` is never rewritten).

One map is made per file, of the original text; each codemod stage asks it through a
view (``stage``) that maps the stage's line numbers back to the original, so that the
map knows, at the end, which directives suppressed something (TG100 reports the rest).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from codemods.core.source import split_lines

_NOQA = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
# Codes of this tool; other tools' codes in a shared directive are never reported.
OWN_CODE = re.compile(r"TG[0-9]+")
# Other tools' codes for a problem a codemod here reports: (theirs, ours). Documented in
# the README's noqa section and on each codemod's explain page.
EQUIVALENT_CODES: dict[str, str] = {"RUF006": "TG003"}
# The unused-noqa code itself: reporting it as unused would make it unusable.
UNUSED_NOQA = "TG100"


@dataclass(frozen=True, slots=True)
class Directive:
    line: int
    col: int
    # None: a bare directive, which suppresses everything.
    codes: frozenset[str] | None


@dataclass
class NoqaMap:
    """The noqa directives of one text, and which of them were used."""

    directives: dict[int, Directive] = field(default_factory=dict)
    # (original line, code) of every suppression made.
    used: set[tuple[int, str]] = field(default_factory=set)
    # Codes of the codemods that ran over the text (and so could have used a directive).
    ran: set[str] = field(default_factory=set)
    # Maps a stage's line back to the original text's, latest stage first.
    maps: tuple[Callable[[int], int], ...] = ()
    # Codes suppressed on every line (``per-file-ignores``).
    whole_file: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str, whole_file: frozenset[str] = frozenset()) -> NoqaMap:
        if _NOQA.search(text) is None:
            return cls(whole_file=whole_file)
        # Numbered as tokenize numbers them: a form feed does not end a line.
        lines = split_lines(text)
        candidates = [n for n, line in enumerate(lines, 1) if _NOQA.search(line)]
        if not candidates:
            return cls(whole_file=whole_file)
        directives: dict[int, Directive] = {}
        for line, col, comment in _comments(text, set(candidates)):
            match = _NOQA.search(comment)
            if match is None:
                continue
            codes = match.group("codes")
            directives[line] = Directive(
                line,
                col + match.start() + 1,
                None
                if codes is None
                else frozenset(code.upper() for code in _CODE.findall(codes)),
            )
        return cls(directives, whole_file=whole_file)

    def stage(self, code: str, maps: Sequence[Callable[[int], int]]) -> NoqaMap:
        """The view codemod ``code`` asks, on a text derived from the original through
        ``maps`` (latest first); it shares this map's directives and bookkeeping."""
        self.ran.add(code)
        return NoqaMap(
            self.directives, self.used, self.ran, tuple(maps), self.whole_file
        )

    def _original_lines(self, line: int) -> set[int]:
        """The original lines ``line`` of the stage may come from (see ``LineMap.span``)."""
        lines = {line}
        for line_map in self.maps:
            span = getattr(line_map, "span", None)
            lines = {
                source
                for derived in lines
                for source in (
                    span(derived) if span is not None else [line_map(derived)]
                )
            }
        return lines

    def original_line(self, line: int) -> int:
        for line_map in self.maps:
            line = line_map(line)
        return line

    def suppresses(self, line: int, code: str) -> bool:
        if code in self.whole_file:
            return True
        line = self.original_line(line)
        directive = self.directives.get(line)
        if directive is None:
            return False
        if directive.codes is None or code in directive.codes:
            self.used.add((line, code))
            return True
        return any(EQUIVALENT_CODES.get(named) == code for named in directive.codes)

    def suppresses_span(self, first: int, last: int, code: str) -> bool:
        """Whether a directive on one of the lines ``first``..``last`` suppresses
        ``code`` (only the first such directive counts as used)."""
        return any(self.suppresses(line, code) for line in range(first, last + 1))

    def unused(
        self, line: int, comment: str, known: Collection[str]
    ) -> tuple[str, ...]:
        """Codes of this tool in the directive of ``comment`` (on ``line`` of the stage)
        that suppressed nothing: codes of codemods that ran, and codes no codemod has.

        A code of a known codemod that did not run (not selected) may still be needed,
        so it is never reported; nor is a bare ``# noqa``.
        """
        # The stage's comment must be the original's. A line inside a block an earlier
        # codemod rewrote (a spawn expanded into a fallback, its comment carried to both
        # branches) maps to that block: to the directives of it with these codes. Where
        # the block stands for several such lines, a code is unused only if it is
        # unused on every one of them (the next run sees each line on its own).
        codes = directive_codes(comment)
        found = [
            candidate
            for candidate in self._original_lines(line)
            if (directive := self.directives.get(candidate)) is not None
            and directive.codes is not None
            and directive.codes == codes
        ]
        if not found or codes is None:
            return ()
        return tuple(
            code
            for code in sorted(codes)
            if OWN_CODE.fullmatch(code)
            and code != UNUSED_NOQA
            and all((original, code) not in self.used for original in found)
            and (code in self.ran or code not in known)
        )


_TYPE_IGNORE = re.compile(r"#\s*type:\s*ignore\[(?P<codes>[^\]]*)\]")
# mypy's error codes for a value thrown away, which storing the value makes unused.
DISCARD_CODES = frozenset({"unused-awaitable", "unused-coroutine"})


def ignored_discards(comment: str) -> str | None:
    """The codes of a ``# type: ignore[...]`` in ``comment`` that ignore a discarded
    value (``unused-awaitable``), as written; None when there are none."""
    match = _TYPE_IGNORE.search(comment)
    if match is None:
        return None
    codes = [code.strip() for code in match.group("codes").split(",")]
    found = [code for code in codes if code in DISCARD_CODES]
    return ", ".join(found) or None


def directive_codes(comment: str) -> frozenset[str] | None:
    """The codes a comment's noqa directive names (None: bare or no directive)."""
    match = _NOQA.search(comment)
    if match is None or match.group("codes") is None:
        return None
    return frozenset(code.upper() for code in _CODE.findall(match.group("codes")))


def add_codes(comment: str | None, codes: Iterable[str]) -> str:
    """``comment`` suppressing ``codes`` too: merged into its directive, or appended."""
    wanted = sorted(set(codes))
    if comment is None:
        return f"# noqa: {', '.join(wanted)}"
    match = _NOQA.search(comment)
    if match is None:
        return f"{comment}  # noqa: {', '.join(wanted)}"
    if match.group("codes") is None:
        return comment  # a bare directive already suppresses everything
    present = directive_codes(comment) or frozenset()
    missing = [code for code in wanted if code not in present]
    if not missing:
        return comment
    end = match.end("codes")
    return f"{comment[:end]}, {', '.join(missing)}{comment[end:]}"


def remove_codes(comment: str, codes: Collection[str]) -> str | None:
    """``comment`` without ``codes`` in its directive; the directive goes when no code
    is left, and None means nothing is left of the comment at all."""
    match = _NOQA.search(comment)
    if match is None or match.group("codes") is None:
        return comment
    kept = [c for c in _CODE.findall(match.group("codes")) if c.upper() not in codes]
    if kept:
        start, end = match.span("codes")
        return f"{comment[:start]}{', '.join(kept)}{comment[end:]}"
    before, after = comment[: match.start()].rstrip(), comment[match.end() :].rstrip()
    if before not in ("", "#"):
        return before + after  # the directive followed another comment
    rest = after.strip()
    return f"# {rest}" if rest else None


def _comments(text: str, lines: set[int]) -> list[tuple[int, int, str]]:
    """Comment tokens on the given lines, so `"# noqa"` inside a string never counts."""
    found: list[tuple[int, int, str]] = []
    try:
        # Universal newlines: a file ending lines with a lone \r is numbered right too.
        readline = io.StringIO(text, newline=None).readline
        for token in tokenize.generate_tokens(readline):
            if token.type == tokenize.COMMENT and token.start[0] in lines:
                found.append((token.start[0], token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found
