"""``# noqa`` comments: which lines suppress which codes, and which suppressed something.

``# noqa`` alone suppresses every codemod on its line; ``# noqa: TG001, TG003`` only those.
As in Ruff, a finding is suppressed by a comment on the line where it starts.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

_NOQA = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Directive:
    line: int
    col: int
    # None: a bare `# noqa`, which suppresses everything.
    codes: frozenset[str] | None


@dataclass
class NoqaMap:
    """The noqa directives of one text, and which of them were used."""

    directives: dict[int, Directive] = field(default_factory=dict)
    used: set[tuple[int, str]] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> NoqaMap:
        if _NOQA.search(text) is None:
            return cls()
        lines = text.splitlines()
        candidates = [n for n, line in enumerate(lines, 1) if _NOQA.search(line)]
        if not candidates:
            return cls()
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
        return cls(directives)

    def suppresses(self, line: int, code: str) -> bool:
        directive = self.directives.get(line)
        if directive is None:
            return False
        if directive.codes is None or code in directive.codes:
            self.used.add((line, code))
            return True
        return False


def _comments(text: str, lines: set[int]) -> list[tuple[int, int, str]]:
    """Comment tokens on the given lines, so `"# noqa"` inside a string never counts."""
    found: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] in lines:
                found.append((token.start[0], token.start[1], token.string))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found
