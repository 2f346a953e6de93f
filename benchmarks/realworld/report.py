"""docs/realworld.md from the harness's results and the verdicts file."""

from __future__ import annotations

from typing import Any

from .verdicts import VERDICTS, Key, Verdict, counts

Result = dict[str, Any]

HEADER = """\
# The real-world harness

`benchmarks/realworld/` runs the codemods over pinned source distributions of public
asyncio projects (`benchmarks/realworld/projects.toml`) as a new user would, and records
what happened. This page is generated: edit verdicts in
`benchmarks/realworld/verdicts.tsv`, then regenerate it.

```sh
pip install -e '.[dev]'
python -m benchmarks.realworld                # every project (--only NAME, --no-tests)
python -m benchmarks.realworld --report-only  # this page from results.json + verdicts
python -m benchmarks.realworld --report-only --add-rows  # + blank rows to judge
```

For each project the harness downloads the sdist once (into `--workdir`, default
`~/.cache/taskgroup-codemods/realworld`, outside any checkout; no network afterwards),
then, on copies of it: `codemods check` and `codemods run` (JSON); `run --write`; a
second `run --write` (idempotency: it must change nothing); `compile()` of every `.py`
file and `ast.parse(feature_version=...)` for the Python the project declares;
`codemods check` on the written tree (its exit code); `ruff check --select RUF006`
(which of Ruff's sites TG003 misses); Ruff's import-order check (I001) on the changed
files; and the project's own test suite before and after the write where it runs
offline, each project in its own venv (skipped when the write changed nothing).

Every finding and every hunk gets a verdict from a person who read it, kept in
`verdicts.tsv` (keyed by project, file, line and rule; a hunk by the first line it
changes) so that verdicts survive reruns: **correct**; **false positive** (reported or
changed where nothing was wrong); **breaking** (the written program is wrong on the
project's declared Python, or a problem is reported clean). Style damage (import order,
line length) is counted in its own columns, not as breaking. Blank means not judged yet.
The harness only reads `verdicts.tsv`; `--add-rows` adds the blank rows to fill in.
"""

TABLE_HEAD = (
    "| project | version | kind | .py files | Python | findings | hunks "
    "| correct / false pos. / breaking / unjudged | compile after write | idempotent "
    "| check after write: exit (findings) | I001 newly failing | tests pass/fail/error "
    "before → after | RUF006 sites / missed by TG003 |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _python(result: Result) -> str:
    target = result["python"]["target"]
    return "≥" + ".".join(map(str, target)) if target else "—"


def keys_of(result: Result) -> list[Key]:
    """The verdict keys of a result: each finding, then each hunk."""
    name = str(result["name"])
    found = [(name, f["path"], f["line"], f["rule"]) for f in result["findings"]]
    return found + [(name, h["path"], h["line"], "hunk") for h in result["hunks"]]


def _suite_counts(run: Result) -> str:
    if "passed" not in run:
        return str(run.get("status"))
    return f"{run['passed']}/{run['failed']}/{run['error']}"


def _tests_cell(tests: Result) -> str:
    if tests.get("status") != "run":
        return "—"
    cell = f"{_suite_counts(tests['before'])} → {_suite_counts(tests['after'])}"
    lost = len(tests["lost"])
    return cell + (f" (**{lost} lost**)" if lost else "")


def summary_row(result: Result, table: dict[Key, Verdict]) -> str:
    tally = counts(table, keys_of(result))
    broken = len(result["compile"]["broken_by_write"])
    after = result["check_after"]
    ruf = result["ruf006"]
    cells = [
        result["name"],
        result["version"],
        result["kind"],
        result["files"],
        _python(result),
        len(result["findings"]),
        len(result["hunks"]),
        " / ".join(str(tally[v]) for v in (*VERDICTS, "")),
        f"**{broken} broken**" if broken else "ok",
        "**no**" if result["second_write"]["files_changed"] else "yes",
        f"{after['returncode']} ({after['summary']['findings']})",
        len(result["import_order"]),
        _tests_cell(result["tests"]),
        f"{len(ruf['sites'])} / {len(ruf['missed_by_tg003'])}",
    ]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _listing(items: object) -> str:
    return str(items) if items else "none"


def _facts(result: Result) -> list[str]:
    python, length = result["python"], result["line_length"]
    write, seconds = result["write"], result.get("seconds", {})
    changed = ", ".join(f"`{p}`" for p in write["files_changed"]) or "nothing"
    missed = result["ruf006"]["missed_by_tg003"]
    return [
        f"- Python: {_python(result)} ({python['source']}); line length "
        f"{length['value']} ({length['source']})",
        *(
            [
                f"- plain run refused (exit 2): {result['refused']}; evaluated below "
                "with `--target-version 3.11`"
            ]
            if result.get("refused")
            else []
        ),
        f"- `check`: exit {result['check']['returncode']}, "
        f"{result['check']['summary']}; {seconds.get('check', '?')} s",
        f"- `run --write`: exit {write['returncode']}, changed {changed}",
        "- second `run --write` changed: "
        + _listing(result["second_write"]["files_changed"]),
        f"- compile after write: {result['compile']['checked']} files; broken by the "
        f"write: {_listing(result['compile']['broken_by_write'])} (already broken "
        f"before: {result['compile']['broken_before']})",
        "- `TaskGroup` written below Python 3.11: "
        + _listing(result["taskgroup_below_3_11"]),
        f"- comments lost: {_listing(result['lost_comments'])}",
        "- Ruff I001 newly failing (before, after): "
        + _listing(result["import_order"]),
        f"- `check` after write: exit {result['check_after']['returncode']}, "
        f"{result['check_after']['summary']}",
        f"- tests ({result['tests']['how']}): {_tests_detail(result['tests'])}",
        "- RUF006 sites TG003 misses: "
        + (", ".join(f"`{s['path']}:{s['line']}`" for s in missed) or "none"),
    ]


def _tests_detail(tests: Result) -> str:
    if tests.get("status") != "run":
        return str(tests.get("status"))
    parts = []
    for label in ("before", "after"):
        run = tests[label]
        tally = ", ".join(
            f"{run[kind]} {kind}"
            for kind in ("passed", "failed", "error", "skipped")
            if kind in run
        )
        parts.append(f"{label}: {run.get('status')}, {tally} ({run.get('seconds')} s)")
    lost = ", ".join(f"`{test}`" for test in tests["lost"]) or "none"
    return "; ".join([*parts, f"passing tests lost: {lost}"])


def _findings_table(result: Result, table: dict[Key, Verdict]) -> list[str]:
    lines = [
        "| where | rule | fixable | message | verdict | note |",
        "|---|---|---|---|---|---|",
    ]
    for f in result["findings"]:
        verdict = table.get(
            (result["name"], f["path"], f["line"], f["rule"]), Verdict()
        )
        lines.append(
            f"| `{f['path']}:{f['line']}` | {f['rule']} "
            f"| {'yes' if f['fixable'] else 'no'} | {_cell(f['message'])} "
            f"| {verdict.verdict} | {_cell(verdict.note)} |"
        )
    if not result["findings"]:
        lines.append("| — | | | no finding | | |")
    return lines


def _hunks(result: Result, table: dict[Key, Verdict]) -> list[str]:
    lines: list[str] = []
    limit = result["line_length"]["value"]
    for hunk in result["hunks"]:
        key = (result["name"], hunk["path"], hunk["line"], "hunk")
        verdict = table.get(key, Verdict())
        rules = ", ".join(hunk["rules"]) or "?"
        title = (
            f"Hunk `{hunk['path']}:{hunk['line']}` ({rules}): "
            f"**{verdict.verdict or 'unjudged'}**"
        )
        lines += ["", title + (f". {verdict.note}" if verdict.note else "")]
        if hunk["long_lines"]:
            lines.append(
                f"(adds {len(hunk['long_lines'])} line(s) over {limit} columns)"
            )
        lines += ["", "```diff", hunk["text"], "```"]
    return lines


def project_section(result: Result, table: dict[Key, Verdict]) -> list[str]:
    return [
        f"### {result['name']} {result['version']}",
        "",
        f"{result['kind']}: {result['why']}.",
        "",
        *_facts(result),
        "",
        *_findings_table(result, table),
        *_hunks(result, table),
        "",
    ]


def _stale(results: list[Result], table: dict[Key, Verdict]) -> list[str]:
    current = {key for result in results for key in keys_of(result)}
    names = {result["name"] for result in results}
    stale = sorted(
        key
        for key, verdict in table.items()
        if key not in current and verdict.verdict and key[0] in names
    )
    if not stale:
        return []
    return [
        "## Stale verdicts",
        "",
        "Judged items the current run no longer produces:",
        "",
        *(
            f"- {key[0]} `{key[1]}:{key[2]}` {key[3]}: {table[key].verdict}"
            for key in stale
        ),
    ]


def render(
    results: list[Result],
    table: dict[Key, Verdict],
    meta: dict[str, str],
    reading: str = "",
) -> str:
    """The page: header, summary table, a person's reading of the run (`reading`, the
    text of notes.md), a section per project, stale verdicts."""
    total = counts(table, [key for result in results for key in keys_of(result)])
    lines = [
        HEADER,
        f"Last run: {meta.get('date', '?')}; {meta.get('tool', '?')}; "
        f"{meta.get('ruff', '?')}; Python {meta.get('python', '?')}. Verdicts over all "
        f"projects: {total['correct']} correct, {total['false positive']} false "
        f"positive, {total['breaking']} breaking, {total['']} unjudged.",
        "",
        "## Summary",
        "",
        TABLE_HEAD,
        *(summary_row(result, table) for result in results),
        "",
        'Tests are counted from each suite\'s JUnit report; "lost": passed before '
        "the write, not after.",
        "",
    ]
    if reading.strip():
        lines += [reading.strip(), ""]
    lines += ["## Findings and hunks by project", ""]
    for result in results:
        lines += project_section(result, table)
    lines += _stale(results, table)
    return "\n".join(lines).rstrip() + "\n"
