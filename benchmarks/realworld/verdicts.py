"""A person's verdicts on findings and hunks, kept in `verdicts.tsv` across reruns.

One row per item: project, path, line, rule (a code such as TG003, or `hunk` for a
hunk, keyed by the first line it changes), verdict, note. The harness only reads it,
unless asked (``--add-rows``) to add a row, verdict empty, for every new item; it keeps
every row a person filled in, even for an item the run no longer produces (the report
lists those as stale)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

VERDICTS_FILE = Path(__file__).with_name("verdicts.tsv")
VERDICTS = ("correct", "false positive", "breaking")
COLUMNS = ("project", "path", "line", "rule", "verdict", "note")

Key = tuple[str, str, int, str]


@dataclass(frozen=True)
class Verdict:
    verdict: str = ""
    note: str = ""


def load(path: Path = VERDICTS_FILE) -> dict[Key, Verdict]:
    if not path.exists():
        return {}
    table: dict[Key, Verdict] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle, delimiter="\t"), 2):
            verdict = (row.get("verdict") or "").strip()
            if verdict and verdict not in VERDICTS:
                raise ValueError(
                    f"{path}:{number}: verdict {verdict!r} is not one of {VERDICTS}"
                )
            key = (row["project"], row["path"], int(row["line"]), row["rule"])
            table[key] = Verdict(verdict, (row.get("note") or "").strip())
    return table


def merge(known: dict[Key, Verdict], current: list[Key]) -> dict[Key, Verdict]:
    """`known` plus an empty verdict for each current key it lacks."""
    merged = dict(known)
    for key in current:
        merged.setdefault(key, Verdict())
    return merged


def save(table: dict[Key, Verdict], path: Path = VERDICTS_FILE) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for key in sorted(table):
            writer.writerow([*key, table[key].verdict, table[key].note])


def counts(table: dict[Key, Verdict], keys: list[Key]) -> dict[str, int]:
    """How many of `keys` have each verdict ('' = not yet judged)."""
    tally = dict.fromkeys((*VERDICTS, ""), 0)
    for key in keys:
        tally[table.get(key, Verdict()).verdict] += 1
    return tally
