"""docs/realworld.md from the harness's results and the verdicts file."""

from __future__ import annotations

from typing import Any

from .verdicts import VERDICTS, Key, Verdict, counts

HEADER = """\
# The real-world harness

`benchmarks/realworld/` runs the codemods over pinned source distributions of public
asyncio projects (`projects.toml`) as a new user would, and records what happened:

```sh
pip install -e '.[dev]'
python -m benchmarks.realworld                 # every project; --only NAME, --no-tests
python -m benchmarks.realworld --report-only   # this page again from results.json + verdicts.tsv
```

For each project it downloads the sdist once (into `--workdir`, default
`~/.cache/taskgroup-codemods/realworld`, outside any checkout), then on copies of it runs
`codemods check` and `codemods run` (JSON), `codemods run --write`, a second
`run --write` (idempotency: it must change nothing), `compile()` of every `.py` file and
`ast.parse(feature_version=...)` for the Python the project declares, `codemods check`
on the written tree (its exit code), `ruff check --select RUF006` (which of Ruff's sites
TG003 misses), Ruff's import-order check on the changed files, and the project's own
tests before and after the write where they run offline (each project in its own venv).

Every finding and every hunk has a verdict, filled in by a person who read it, kept in
`benchmarks/realworld/verdicts.tsv` (keyed by project, file, line and rule; hunks by the
first line they change) so verdicts survive reruns: **correct**, **false positive**
(reported or changed where nothing was wrong), **breaking** (the written program is
wrong, or a problem is reported clean). Blank means not judged yet.
"""


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def keys_of(result: dict[str, Any]) -> list[Key]:
    name = str(result["name"])
    found = [
        (name, str(f["path"]), int(f["line"]), str(f["rule"]))
        for f in result["findings"]
    ]
    hunk_keys = [
        (name, str(h["path"]), int(h["line"]), "hunk") for h in result["hunks"]
    ]
    return found + hunk_keys


def _tests_cell(tests: dict[str, Any]) -> str:
    if tests.get("status") != "run":
        return "—"
    before, after = tests["before"], tests["after"]

    def one(run: dict[str, Any]) -> str:
        if "passed" not in run:
            return str(run.get("status"))
        return f"{run['passed']}/{run['failed']}/{run['error']}"

    lost = len(tests["lost"])
    return f"{one(before)} → {one(after)}" + (f" (**{lost} lost**)" if lost else "")


def summary_row(result: dict[str, Any], table: dict[Key, Verdict]) -> str:
    tally = counts(table, keys_of(result))
    broken = len(result["compile"]["broken_by_write"])
    idempotent = not result["second_write"]["files_changed"]
    ruf = result["ruf006"]
    python = result["python"]["target"]
    cells = [
        f"{result['name']}",
        str(result["version"]),
        str(result["kind"]),
        str(result["files"]),
        "≥" + ".".join(map(str, python)) if python else "—",
        str(len(result["findings"])),
        str(len(result["hunks"])),
        " / ".join(str(tally[v]) for v in (*VERDICTS, "")),
        "ok" if not broken else f"**{broken} broken**",
        "yes" if idempotent else "**no**",
        f"{result['check_after']['returncode']} ({result['check_after']['summary']['findings']})",
        _tests_cell(result["tests"]),
        f"{len(ruf['sites'])} / {len(ruf['missed_by_tg003'])}",
    ]
    return "| " + " | ".join(cells) + " |"


TABLE_HEAD = """\
| project | version | kind | .py files | Python | findings | hunks | correct / false pos. / breaking / unjudged | compile after write | idempotent | check after write: exit (findings) | tests pass/fail/error before → after | RUF006 sites / missed by TG003 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|"""


def _project_section(result: dict[str, Any], table: dict[Key, Verdict]) -> list[str]:
    name = str(result["name"])
    python = result["python"]
    lines = [
        f"### {name} {result['version']}",
        "",
        f"{result['kind']}; {result['why']}.",
        "",
        f"- Python: {'.'.join(map(str, python['target'])) if python['target'] else 'not declared'} "
        f"({python['source']}); line length {result['line_length']['value']} "
        f"({result['line_length']['source']})",
        f"- `check`: exit {result['check']['returncode']}, {result['check']['summary']}",
        f"- `run --write`: exit {result['write']['returncode']}, changed "
        f"{', '.join(f'`{p}`' for p in result['write']['files_changed']) or 'nothing'}",
        f"- second `run --write` changed: {result['second_write']['files_changed'] or 'nothing'}",
        f"- compile after write: {result['compile']['checked']} files, "
        f"broken by the write: {result['compile']['broken_by_write'] or 'none'}"
        f" (already broken before: {result['compile']['broken_before']})",
        f"- `TaskGroup` written below Python 3.11: {result['taskgroup_below_3_11'] or 'none'}",
        f"- comments lost: {result['lost_comments'] or 'none'}",
        f"- Ruff I001 (import order) newly failing: {result['import_order'] or 'none'}",
        f"- `check` after write: exit {result['check_after']['returncode']}, "
        f"{result['check_after']['summary']}",
        f"- tests ({result['tests']['how']}): {_tests_detail(result['tests'])}",
    ]
    missed = result["ruf006"]["missed_by_tg003"]
    lines.append(
        f"- RUF006 sites TG003 misses: "
        f"{', '.join('`{path}:{line}`'.format(**s) for s in missed) or 'none'}"
    )
    lines += [
        "",
        "| where | rule | fixable | message | verdict | note |",
        "|---|---|---|---|---|---|",
    ]
    for f in result["findings"]:
        verdict = table.get((name, f["path"], f["line"], f["rule"]), Verdict())
        lines.append(
            f"| `{f['path']}:{f['line']}` | {f['rule']} | {'yes' if f['fixable'] else 'no'} "
            f"| {_cell(f['message'])} | {verdict.verdict} | {_cell(verdict.note)} |"
        )
    if not result["findings"]:
        lines.append("| — | | | no finding | | |")
    for h in result["hunks"]:
        verdict = table.get((name, h["path"], h["line"], "hunk"), Verdict())
        rules = ", ".join(h["rules"]) or "?"
        lines += [
            "",
            f"Hunk `{h['path']}:{h['line']}` ({rules}): **{verdict.verdict or 'unjudged'}**"
            + (f". {verdict.note}" if verdict.note else ""),
        ]
        if h["long_lines"]:
            lines.append(
                f"(adds {len(h['long_lines'])} line(s) over {result['line_length']['value']} columns)"
            )
        lines += ["", "```diff", h["text"], "```"]
    return lines + [""]


def _tests_detail(tests: dict[str, Any]) -> str:
    if tests.get("status") != "run":
        return str(tests.get("status"))
    parts = []
    for label in ("before", "after"):
        run = tests[label]
        parts.append(
            f"{label}: {run.get('status')} "
            + ", ".join(
                f"{run[k]} {k}"
                for k in ("passed", "failed", "error", "skipped")
                if k in run
            )
        )
    lost = tests["lost"]
    parts.append(f"passing tests lost: {', '.join(f'`{t}`' for t in lost) or 'none'}")
    return "; ".join(parts)


def render(
    results: list[dict[str, Any]], table: dict[Key, Verdict], meta: dict[str, str]
) -> str:
    current = {key for result in results for key in keys_of(result)}
    stale = sorted(
        key
        for key in table
        if key not in current
        and table[key].verdict
        and key[0] in {str(r["name"]) for r in results}
    )
    lines = [
        HEADER,
        f"Run: {meta.get('date', '?')}; {meta.get('tool', '?')}; "
        f"{meta.get('ruff', '?')}; Python {meta.get('python', '?')}.",
        "",
        "## Summary",
        "",
        TABLE_HEAD,
        *(summary_row(r, table) for r in results),
        "",
        "Tests are counted as passed/failed/error from the suite's JUnit report; "
        '"lost" are tests that passed before the write and not after.',
        "",
        "## Findings and hunks by project",
        "",
    ]
    for result in results:
        lines += _project_section(result, table)
    if stale:
        lines += [
            "## Stale verdicts",
            "",
            "Judged items the current run no longer produces:",
            "",
        ]
        lines += [
            f"- {p} `{path}:{line}` {rule}: {table[(p, path, line, rule)].verdict}"
            for p, path, line, rule in stale
        ]
    return "\n".join(lines).rstrip() + "\n"
