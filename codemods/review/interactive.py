"""``codemods run --interactive``: a person accepts or skips each hunk (``git add -p``).

Answers are collected for the whole run first; only then is anything written
(``commit``), so that a group of fixes spanning files is decided as a whole.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence

from codemods.engine.reporting import text
from codemods.engine.reporting.terminal import Terminal
from codemods.engine.reporting.words import plural
from codemods.review.changes import FileChanges
from codemods.review.commit import Outcome
from codemods.review.decide import group_members
from codemods.review.hunks import Hunk

PROMPT = "Apply this hunk [y,n,a,d,q,?]? "
HELP = """\
y - apply this hunk
n - do not apply this hunk
a - apply this hunk and all later hunks in this file
d - do not apply this hunk or any later hunk in this file
q - quit: apply nothing more (what was accepted so far is written)
? - print this help
"""
ANSWERS = frozenset("ynadq")

# Shows the prompt, returns the answer line (None at end of input).
Ask = Callable[[str], str | None]


def ask_stdin(terminal: Terminal) -> Ask:
    def ask(prompt: str) -> str | None:
        terminal.data(prompt)
        line = sys.stdin.readline()
        return None if line == "" else line.strip()

    return ask


def review(
    files: Sequence[FileChanges], terminal: Terminal, ask: Ask, names: Mapping[str, str]
) -> dict[str, set[int]]:
    """Ask about every hunk; the accepted hunk indexes by shown path."""
    members = group_members(files)
    total = sum(len(f.changes) for f in files if f.problem is None)
    accepted: dict[str, set[int]] = {}
    seen = 0
    for file in files:
        if file.problem is not None:
            terminal.message(f"{file.shown}: not reviewed: {file.problem}", "yellow")
            continue
        taken = accepted.setdefault(file.shown, set())
        rest: str | None = None  # "a" or "d": the answer for the file's remaining hunks
        for number in range(len(file.changes)):
            seen += 1
            answer = rest
            if answer is None:
                _show(terminal, file, number, f"{seen}/{total}", names, members)
                answer = _answer(terminal, ask)
                if answer == "q":
                    return accepted
                if answer in ("a", "d"):
                    rest = answer
            if answer in ("y", "a"):
                taken.add(number)
    return accepted


def _answer(terminal: Terminal, ask: Ask) -> str:
    while True:
        reply = ask(PROMPT)
        if reply is None:  # end of input: stop as if asked to quit
            terminal.data("\n")
            return "q"
        reply = reply.lower()
        if reply in ANSWERS:
            return reply
        terminal.data(HELP)


def _show(
    terminal: Terminal,
    file: FileChanges,
    number: int,
    counter: str,
    names: Mapping[str, str],
    members: Mapping[str, list[tuple[str, int]]],
) -> None:
    change = file.changes[number]
    made_by = ", ".join(
        f"{code} {names.get(code, '')}".strip() for code in change.codes
    )
    # A hunk holding any unsafe fix is as unsafe as its least safe part.
    unsafe = "unsafe" in change.safety
    safety = f" ({'unsafe' if unsafe else 'safe'} fix)" if change.safety else ""
    terminal.out.print(
        f"\n{file.shown} (hunk {counter}) by {made_by}{safety}", style="bold"
    )
    for group in sorted(change.groups):
        others = [m for m in members[group] if m != (file.shown, number)]
        if others:
            where = ", ".join(sorted({shown for shown, _ in others}))
            terminal.out.print(
                f"part of {group}: accept it with its {len(others)} other change(s) "
                f"in {where}, or none of them",
                style="yellow",
            )
    text.udiff(terminal, hunk_text(change.hunk))


def hunk_text(hunk: Hunk) -> str:
    """The hunk for display: a screen line a line, a missing final newline marked."""
    lines = [hunk.header]
    for line in hunk.lines:
        lines.append(line.rstrip("\r\n"))
        if not line.endswith(("\n", "\r")):
            lines.append("\\ No newline at end of file")
    return "\n".join(lines) + "\n"


def summarize(terminal: Terminal, outcomes: Sequence[Outcome]) -> None:
    """One line a reviewed file, and why any refused file was refused."""
    if not outcomes:
        terminal.message("nothing to review: no codemod would change a file", "bold")
        return
    for outcome in outcomes:
        terminal.message(
            f"{outcome.shown}: {outcome.applied} applied, {outcome.skipped} skipped, "
            f"{outcome.refused} refused"
        )
    for outcome in outcomes:
        if outcome.reason is not None:
            terminal.message(
                f"{outcome.shown}: left unchanged: {outcome.reason}", "red"
            )
    applied = sum(o.applied for o in outcomes)
    written = sum(1 for o in outcomes if o.applied)
    skipped = sum(o.skipped for o in outcomes)
    refused = sum(o.refused for o in outcomes)
    terminal.message(
        f"{plural(applied, 'hunk')} applied in {plural(written, 'file')}, "
        f"{skipped} skipped, {refused} refused",
        "bold",
    )
