"""What a validation produces: one frozen record per gate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Status = Literal["passed", "failed", "skipped"]

# Gate ids in the order they run, with the titles the table shows.
TITLES = {
    "parse": "(a) parse, idempotent",
    "mypy": "(b) mypy --strict",
    "check": "(c) codemods check",
    "tests": "(d) tests",
    "reference": "(e) reference",
}


@dataclass(frozen=True)
class GateResult:
    gate: str  # a key of TITLES
    status: Status
    summary: str  # one line
    details: str = ""  # what a person reads to fix it: diffs, mypy errors, test output

    @property
    def title(self) -> str:
        return TITLES[self.gate]


def passed(gate: str, summary: str, details: str = "") -> GateResult:
    return GateResult(gate, "passed", summary, details)


def failed(gate: str, summary: str, details: str = "") -> GateResult:
    return GateResult(gate, "failed", summary, details)


def skipped(gate: str, summary: str) -> GateResult:
    return GateResult(gate, "skipped", summary)


def verdict(gate: str, problems: Sequence[str], ok: str, bad: str) -> GateResult:
    """``passed`` with summary ``ok`` when there are no problems, else ``failed``
    with summary ``bad`` and the problems, one a line, as details."""
    if not problems:
        return passed(gate, ok)
    return failed(gate, bad, "".join(f"{p}\n" for p in problems))
