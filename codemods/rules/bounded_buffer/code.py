"""The code TG004 generates for a bounded buffer, in the shape ``docs/design.md`` fixes.

Everything is written as text with four-space indentation (``parse_statement`` turns it
into the module's own), starting at the column of the class's methods; lines longer than
the line length are wrapped the way black would.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from codemods.cst.build import render_call
from codemods.rules.bounded_buffer.names import BufferNames

UNIT = "    "


@dataclass(frozen=True)
class BufferCode:
    """What the generated code refers to besides the names."""

    names: BufferNames
    owner: str
    element: str
    lock: str
    maxlen: str
    wait_timeout: str
    warning_interval: str
    flush_event: str | None
    wake_at: str | None
    asyncio: str
    collections: str
    time: str
    logger: str
    # Column of the class's `def` lines, how many indentation levels that is, and
    # the line length.
    column: int
    levels: int
    line_length: int
    # Appends cannot wait for room (they are synchronous or outside the lock): a
    # full buffer drops its oldest entry, counted, and a failed batch is put back.
    counting: bool = False
    # The deque's spelling in the annotation and the call (`deque` when imported so).
    container: str = ""
    constructor: str = ""
    # What `__init__` stores as the capacity (the declared deque's `maxlen`).
    capacity: str | None = None

    # -- helpers ---------------------------------------------------------------------

    def _call(self, depth: int, head: str, args: list[str], tail: str = "") -> str:
        return render_call(
            head, args, column=self._col(depth), line_length=self.line_length, tail=tail
        )

    def _condition(self, depth: int, keyword: str, test: str) -> str:
        if self._col(depth) + len(f"{keyword} {test}:") <= self.line_length:
            return f"{keyword} {test}:"
        return f"{keyword} (\n{UNIT}{test}\n):"

    def _col(self, depth: int) -> int:
        return self.column + len(UNIT) * depth

    def _docstring(
        self, depth: int, summary: str, *paragraphs: str
    ) -> list[tuple[int, str]]:
        width = self.line_length - self._col(depth)
        # Lines inside the string are indented for where the method will stand.
        inside = depth + self.levels
        closing = "" if paragraphs else '"""'
        if len(f'"""{summary}{closing}') > width:
            # Too long for the opening line: the summary gets lines of its own.
            wrapped = textwrap.wrap(summary, width)
            lines = [(depth, '"""'), *[(inside, line) for line in wrapped]]
        elif not paragraphs:
            return [(depth, f'"""{summary}"""')]
        else:
            lines = [(depth, f'"""{summary}')]
        for paragraph in paragraphs:
            lines.append((inside, ""))
            lines += [(inside, line) for line in textwrap.wrap(paragraph, width)]
        return [*lines, (inside, '"""')]

    @staticmethod
    def _render(lines: list[tuple[int, str]]) -> str:
        out = []
        for depth, text in lines:
            for line in text.split("\n"):
                out.append(f"{UNIT * depth}{line}" if line else "")
        return "\n".join(out) + "\n"

    # -- the parts -------------------------------------------------------------------

    def init_statements(self) -> str:
        """What replaces ``self.x: list[T] = []`` in ``__init__`` (at depth 0)."""
        n = self.names
        container = self.container or f"{self.collections}.deque"
        constructor = self.constructor or f"{self.collections}.deque"
        declared = f"self.{n.deque}: {container}[{self.element}] = {constructor}"
        lines = []
        if self.capacity is not None:
            lines.append((0, f"self.{n.capacity} = {self.capacity}"))
        lines.append((0, self._call(1, declared, [f"maxlen={self.maxlen}"])))
        if not self.counting:
            lines += [
                (0, f"self.{n.room} = {self.asyncio}.Condition(self.{self.lock})"),
                (0, f"self.{n.unsaved} = 0"),
            ]
        lines += [
            (0, f"self.{n.dropped} = 0"),
            (0, f'self.{n.last_warning} = float("-inf")'),
        ]
        return self._render(lines)

    def property(self) -> str:
        n = self.names
        return self._render(
            [
                (0, "@property"),
                (0, f"def {n.attribute}(self) -> list[{self.element}]:"),
                *self._docstring(
                    1, f"The {n.noun} not yet written, oldest first (a copy)."
                ),
                (1, f"return list(self.{n.deque})"),
            ]
        )

    def append_method(self) -> str:
        n, item = self.names, self.names.item
        wake = "wake the flusher and " if self.flush_event is not None else ""
        lines = [
            (
                0,
                self._call(
                    0,
                    f"async def {n.append}",
                    ["self", f"{item}: {self.element}"],
                    " -> None:",
                ),
            ),
            *self._docstring(
                1,
                f"Buffer *{item}*; the caller holds ``{self.lock}``.",
                f"At capacity, {wake}wait a bounded time for room; only if storage has "
                f"not caught up by then is the oldest {item} dropped.",
            ),
            (1, f"capacity = {self.maxlen}"),
            (1, self._condition(1, "if", f"self.{n.unsaved} >= capacity")),
        ]
        if self.flush_event is not None:
            lines.append((2, f"{self.flush_event}.set()"))
        lines += [
            (2, "try:"),
            (
                3,
                self._call(
                    3, f"async with {self.asyncio}.timeout", [self.wait_timeout], ":"
                ),
            ),
            (
                4,
                self._call(
                    4,
                    f"await self.{n.room}.wait_for",
                    [f"lambda: self.{n.unsaved} < capacity"],
                ),
            ),
            (2, "except TimeoutError:"),
            (3, self._condition(3, "if", f"len(self.{n.deque}) >= capacity")),
            (4, self._call(4, f"self.{n.drop}", [f"[self.{n.deque}.popleft()]"])),
            (1, f"self.{n.deque}.append({item})"),
            (1, f"self.{n.unsaved} += 1"),
        ]
        if self.flush_event is not None and self.wake_at is not None:
            lines += [
                (1, self._condition(1, "if", f"len(self.{n.deque}) >= {self.wake_at}")),
                (2, f"{self.flush_event}.set()"),
            ]
        return self._render(lines)

    def counting_append_method(self) -> str:
        """The append of a buffer whose appends cannot wait: room is made first."""
        n, item = self.names, self.names.item
        return self._render(
            [
                (
                    0,
                    self._call(
                        0,
                        f"def {n.append}",
                        ["self", f"{item}: {self.element}"],
                        " -> None:",
                    ),
                ),
                *self._docstring(
                    1,
                    f"Buffer *{item}*; at capacity the oldest {item} is dropped, "
                    "counted.",
                ),
                (1, self._condition(1, "if", f"len(self.{n.deque}) >= {self.maxlen}")),
                (2, self._call(2, f"self.{n.drop}", [f"[self.{n.deque}.popleft()]"])),
                (1, f"self.{n.deque}.append({item})"),
            ]
        )

    def _put_back(self, depth: int) -> list[tuple[int, str]]:
        """A failed ``batch`` back in front, in order; what no longer fits dropped."""
        n = self.names
        room = f"room = {self.maxlen} - len(self.{n.deque})"
        if self._col(depth) + len(room) > self.line_length:
            room = f"room = (\n{UNIT}{self.maxlen} - len(self.{n.deque})\n)"
        extend = f"self.{n.deque}.extendleft"
        return [
            (depth, room),
            (depth, "overflow = max(0, len(batch) - room)"),
            (depth, self._call(depth, f"self.{n.drop}", ["batch[:overflow]"])),
            (depth, self._call(depth, extend, ["reversed(batch[overflow:])"])),
        ]

    def put_back_method(self) -> str:
        n = self.names
        return self._render(
            [
                (
                    0,
                    self._call(
                        0,
                        f"def {n.put_back}",
                        ["self", f"batch: list[{self.element}]"],
                        " -> None:",
                    ),
                ),
                *self._docstring(
                    1,
                    "Put back a batch whose write failed.",
                    f"It goes in front of the newer {n.noun}, in order; only what no "
                    "longer fits is dropped, oldest first.",
                ),
                *self._put_back(1),
            ]
        )

    def settle_method(self) -> str:
        n = self.names
        return self._render(
            [
                (
                    0,
                    self._call(
                        0,
                        f"async def {n.settle}",
                        ["self", f"batch: list[{self.element}]", "failed: bool"],
                        " -> None:",
                    ),
                ),
                *self._docstring(
                    1,
                    "Account for a batch a flush took out of the buffer.",
                    "Written, its room is free again. Failed, it goes back in front "
                    f"of the newer {n.noun}, in order; only what no longer fits is "
                    "dropped, oldest first.",
                ),
                (1, f"async with self.{self.lock}:"),
                (2, "if failed:"),
                *self._put_back(3),
                (2, "else:"),
                (3, f"self.{n.unsaved} -= len(batch)"),
                (2, f"self.{n.room}.notify_all()"),
            ]
        )

    def drop_method(self) -> str:
        n = self.names
        return self._render(
            [
                (
                    0,
                    self._call(
                        0,
                        f"def {n.drop}",
                        ["self", f"dropped: list[{self.element}]"],
                        " -> None:",
                    ),
                ),
                *self._docstring(
                    1,
                    f"Count {n.noun} lost to a full buffer, warning at most once an "
                    "interval.",
                ),
                (1, "if not dropped:"),
                (2, "return"),
                *([] if self.counting else [(1, f"self.{n.unsaved} -= len(dropped)")]),
                (1, f"self.{n.dropped} += len(dropped)"),
                (1, f"now = {self.time}.monotonic()"),
                (
                    1,
                    self._condition(
                        1,
                        "if",
                        f"now - self.{n.last_warning} >= {self.warning_interval}",
                    ),
                ),
                (2, f"self.{n.last_warning} = now"),
                (2, f"{self.logger}.warning("),
                *[
                    (3, f"{chunk},") if last else (3, chunk)
                    for chunk, last in self._message()
                ],
                (3, "len(dropped),"),
                (3, f"self.{n.dropped},"),
                (2, ")"),
            ]
        )

    def _message(self) -> list[tuple[str, bool]]:
        """The warning's text as string literals, one a line, split after the colon."""
        n = self.names
        first = f"{self.owner}.{n.attribute} full and storage failing: "
        second = f"dropped %d oldest {n.noun} (%d in total)"
        width = self.line_length - self._col(3) - 3
        parts = [first + second] if len(first + second) <= width else [first, second]
        if any(len(part) > width for part in parts):
            parts = _greedy(first + second, width)
        return [(f'"{part}"', i == len(parts) - 1) for i, part in enumerate(parts)]

    def drain_tail(self, batch: str, flag: str, depth: int = 0) -> str:
        """The statements after the take: ``pass`` stands for the flush's I/O
        (``depth``: levels the statements stand below the method's body)."""
        if self.counting:
            put_back = self._call(3 + depth, f"self.{self.names.put_back}", [batch])
            return self._render(
                [
                    (0, f"{flag} = True"),
                    (0, "try:"),
                    (1, "pass"),
                    (1, f"{flag} = False"),
                    (0, "finally:"),
                    (1, f"if {flag}:"),
                    (2, put_back),
                ]
            )
        settle = self._call(2, f"await self.{self.names.settle}", [batch, flag])
        return self._render(
            [
                (0, f"{flag} = True"),
                (0, "try:"),
                (1, "pass"),
                (1, f"{flag} = False"),
                (0, "finally:"),
                (1, settle),
            ]
        )


def _greedy(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` characters, split after spaces."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current}{word} "
        if current and len(candidate.rstrip()) > width:
            pieces.append(current)
            current = f"{word} "
        else:
            current = candidate
    pieces.append(current[:-1])
    return pieces


def section_comment(width: int) -> str:
    """``# -- the buffer ----`` as wide as the class's other section comments."""
    head = "# -- the buffer "
    return head + "-" * max(3, width - len(head))
