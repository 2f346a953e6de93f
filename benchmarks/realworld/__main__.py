"""python -m benchmarks.realworld: the real-world harness (see docs/realworld.md)."""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

from . import fetch, pipeline, projects, report, verdicts

REPO = Path(__file__).resolve().parents[2]
RESULTS_FILE = Path(__file__).with_name("results.json")
READING_FILE = Path(__file__).with_name("notes.md")
DOC_FILE = REPO / "docs" / "realworld.md"
DEFAULT_WORKDIR = Path.home() / ".cache" / "taskgroup-codemods" / "realworld"


def _version(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True)
    return (
        (done.stdout or done.stderr).strip().splitlines()[0]
        if done.returncode == 0
        else "?"
    )


def _inside_checkout(path: Path) -> bool:
    return any((parent / ".git").exists() for parent in (path, *path.parents))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.realworld", description=__doc__
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help=f"downloads, unpacked trees and venvs (default {DEFAULT_WORKDIR})",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this project (repeatable)",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=1, help="codemods workers (default 1)"
    )
    parser.add_argument(
        "--no-tests", action="store_true", help="skip the projects' test suites"
    )
    parser.add_argument(
        "--always-test",
        action="store_true",
        help="run a suite even when the write changed nothing",
    )
    parser.add_argument(
        "--fetch-only",
        action="store_true",
        help="only download and unpack (into WORKDIR/src/NAME-VERSION) and print the "
        "folders, e.g. for benchmarks/make_corpus.py",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="only regenerate the report from results.json and verdicts.tsv",
    )
    parser.add_argument("--results", type=Path, default=RESULTS_FILE)
    parser.add_argument("--doc", type=Path, default=DOC_FILE)
    parser.add_argument(
        "--verdicts",
        type=Path,
        default=verdicts.VERDICTS_FILE,
        help="a person's verdicts, read for the report (default %(default)s)",
    )
    parser.add_argument(
        "--add-rows",
        action="store_true",
        help="add a blank row to the verdicts file for every item it lacks, to be "
        "filled in (without it the file is only read)",
    )
    return parser.parse_args(argv)


def run_projects(
    args: argparse.Namespace,
    chosen: list[projects.Project],
    previous: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    results = dict(previous)
    for project in chosen:
        print(f"== {project.pin}", file=sys.stderr, flush=True)
        try:
            result = pipeline.migrate(project, args.workdir, args.jobs)
            result["tests"] = (
                {"status": "not run (--no-tests)", "how": project.tests.how}
                if args.no_tests
                else pipeline.test(project, args.workdir, result, args.always_test)
            )
        except Exception:  # one project's failure must not lose the others' results
            print(traceback.format_exc(), file=sys.stderr)
            if project.name in results:
                print(
                    f"{project.pin}: keeping the previous run's result", file=sys.stderr
                )
            continue
        results[project.name] = result
    return results


def fetch_only(args: argparse.Namespace, chosen: list[projects.Project]) -> int:
    for project in chosen:
        sdist = fetch.download(project, args.workdir / "sdists")
        print(fetch.unpack(sdist, args.workdir / "src" / project.slug))
    return 0


def write_outputs(
    args: argparse.Namespace,
    ordered: list[dict[str, Any]],
    meta: dict[str, str],
) -> None:
    """The page; results.json unless it was only read (``--report-only``); the
    verdicts file only with ``--add-rows`` (a blank row for every item it lacks),
    else a word on how many items lack a row."""
    written: list[Path] = []
    if not args.report_only:
        args.results.write_text(
            json.dumps({"meta": meta, "projects": ordered}, indent=1) + "\n"
        )
        written.append(args.results)
    known = verdicts.load(args.verdicts)
    current = [key for result in ordered for key in report.keys_of(result)]
    table = verdicts.merge(known, current)
    if args.add_rows:
        verdicts.save(table, args.verdicts)
        written.append(args.verdicts)
    written.append(args.doc)
    reading = READING_FILE.read_text(encoding="utf-8") if READING_FILE.exists() else ""
    page = report.render(ordered, table, meta, reading)
    args.doc.write_text(page, encoding="utf-8")
    print("wrote " + ", ".join(map(str, written)), file=sys.stderr)
    missing = len(set(current) - set(known))
    if missing and not args.add_rows:
        print(
            f"{missing} item(s) have no row in {args.verdicts} (left unchanged): "
            "--add-rows adds a blank one for each, to be judged",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    listed = projects.load()
    unknown = set(args.only) - {p.name for p in listed}
    if unknown:
        print(f"unknown project(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    chosen = [p for p in listed if not args.only or p.name in args.only]
    if not args.report_only and _inside_checkout(args.workdir.resolve()):
        print(
            f"--workdir {args.workdir} is in a git checkout: choose one outside",
            file=sys.stderr,
        )
        return 2
    if args.fetch_only:
        return fetch_only(args, chosen)
    saved = json.loads(args.results.read_text()) if args.results.exists() else {}
    previous = {r["name"]: r for r in saved.get("projects", [])}
    meta = saved.get("meta", {})
    if not args.report_only:
        previous = run_projects(args, chosen, previous)
        meta = {
            "date": datetime.date.today().isoformat(),
            "tool": _version([sys.executable, "-m", "codemods", "--version"]),
            "ruff": _version([sys.executable, "-m", "ruff", "--version"]),
            "python": platform.python_version(),
        }
    write_outputs(args, [previous[p.name] for p in listed if p.name in previous], meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
