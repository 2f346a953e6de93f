"""Everything the harness does to one project, as one JSON-ready result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from . import hunks, settings, source_checks, test_suites, tool_runs
from .fetch import download, unpack
from .projects import Project

Result = dict[str, Any]


def _hunks(report: Result, found: list[Result], limit: int) -> list[Result]:
    """Every hunk of a dry run, with the codes that made it and its over-long lines."""
    return [
        {
            "path": hunk.path,
            "line": hunk.line,
            "old_start": hunk.old_start,
            "old_length": hunk.old_length,
            "text": hunk.text,
            "rules": hunks.rules_in(hunk, found),
            "long_lines": source_checks.long_added_lines(hunk, limit),
        }
        for path, diff in sorted(tool_runs.diffs(report).items())
        for hunk in hunks.split(path, diff)
    ]


def _write_twice(written: Path, jobs: int, extra: tuple[str, ...] = ()) -> Result:
    """`run --write`, then again: what each changed, and their runs."""
    before = source_checks.snapshot(written)
    write = tool_runs.codemods("run", written, "--write", *extra, jobs=jobs)
    after_write = source_checks.snapshot(written)
    second = tool_runs.codemods("run", written, "--write", *extra, jobs=jobs)
    after_second = source_checks.snapshot(written)
    changed = source_checks.changed_between(before, after_write)
    return {
        "write": {
            "returncode": write.returncode,
            "files_changed": [path for path in changed if path.endswith(".py")],
            "stderr": write.stderr,
        },
        "second_write": {
            "returncode": second.returncode,
            "files_changed": source_checks.changed_between(after_write, after_second),
        },
        "seconds": {"write": write.seconds, "second_write": second.seconds},
    }


def _source_facts(
    pristine: Path,
    written: Path,
    changed: list[str],
    target: tuple[int, int] | None,
) -> Result:
    """Compile, comments, import order and TaskGroup-below-3.11 on the written tree."""
    files = source_checks.python_files(pristine)
    broken_before = source_checks.compile_failures(pristine, files, target)
    broken_after = source_checks.compile_failures(written, files, target)
    texts = {
        path: (
            (pristine / path).read_text(encoding="utf-8", errors="replace"),
            (written / path).read_text(encoding="utf-8", errors="replace"),
        )
        for path in changed
    }
    imports_before = tool_runs.ruff_import_order(pristine, changed)
    imports_after = tool_runs.ruff_import_order(written, changed)
    return {
        "files": len(files),
        "compile": {
            "checked": len(files),
            "broken_by_write": {
                path: error
                for path, error in broken_after.items()
                if path not in broken_before
            },
            "broken_before": len(broken_before),
        },
        "taskgroup_below_3_11": sorted(
            path
            for path, (old, new) in texts.items()
            if target is not None
            and target < (3, 11)
            and source_checks.taskgroup_added(old, new)
        ),
        "lost_comments": {
            path: lost
            for path, (old, new) in texts.items()
            if (lost := source_checks.lost_comments(old, new))
        },
        "import_order": {
            path: [imports_before.get(path, 0), imports_after.get(path, 0)]
            for path in changed
            if imports_after.get(path, 0) > imports_before.get(path, 0)
        },
    }


def _ruff_comparison(pristine: Path, found: list[Result]) -> Result:
    sites = tool_runs.ruff_ruf006(pristine)
    tg003 = {(f["path"], f["line"]) for f in found if f["rule"] == "TG003"}
    return {
        "sites": sites,
        "missed_by_tg003": [s for s in sites if (s["path"], s["line"]) not in tg003],
    }


OVERRIDE = ("--target-version", "3.11")


def migrate(project: Project, workdir: Path, jobs: int) -> Result:
    """check, dry run, write, second write, compile, check again, Ruff: on fresh copies
    of the unpacked sdist (`workdir/src/<slug>` stays as unpacked)."""
    sdist = download(project, workdir / "sdists")
    pristine = unpack(sdist, workdir / "src" / project.slug)
    written = workdir / "written" / project.slug
    if written.exists():
        shutil.rmtree(written)
    shutil.copytree(pristine, written, symlinks=True)
    python = settings.declared_python(pristine)
    limit = settings.line_length(pristine)

    # A project declaring a Python older than 3.11 is refused (exit 2), as it should
    # be; the rules are then evaluated as if it required 3.11, and the report says so.
    plain = tool_runs.codemods("check", pristine, jobs=jobs)
    refused = plain.returncode == 2 and "needs Python" in plain.stderr
    extra = OVERRIDE if refused else ()
    check = (
        tool_runs.codemods("check", pristine, *extra, jobs=jobs) if refused else plain
    )
    found = tool_runs.findings(check.report)
    dry = tool_runs.codemods("run", pristine, *extra, jobs=jobs)
    writes = _write_twice(written, jobs, extra)
    check_after = tool_runs.codemods("check", written, *extra, jobs=jobs)
    facts = _source_facts(
        pristine,
        written,
        writes["write"]["files_changed"],
        python.version if python else None,
    )
    return {
        "name": project.name,
        "version": project.version,
        "kind": project.kind,
        "why": project.why,
        "python": {
            "target": list(python.version) if python else None,
            "source": python.source if python else "not declared",
        },
        "line_length": {"value": limit.value, "source": limit.source},
        # The plain run's refusal, when the project's Python is older than 3.11.
        "refused": plain.stderr.strip().splitlines()[-1] if refused else None,
        "check": {
            "returncode": check.returncode,
            "summary": check.report.get("summary"),
            "errors": tool_runs.errors(check.report),
            "stderr": check.stderr,
        },
        "findings": found,
        "hunks": _hunks(dry.report, found, limit.value),
        "write": writes["write"],
        "second_write": writes["second_write"],
        **facts,
        "check_after": {
            "returncode": check_after.returncode,
            "summary": check_after.report.get("summary"),
            "findings": tool_runs.findings(check_after.report),
        },
        "ruf006": _ruff_comparison(pristine, found),
        "seconds": {
            "check": check.seconds,
            "run": dry.seconds,
            **writes["seconds"],
            "check_after": check_after.seconds,
        },
    }


def test(project: Project, workdir: Path, result: Result, always: bool) -> Result:
    """The project's suite before and after the write (unless the write changed
    nothing and `always` is off)."""
    how = project.tests.how
    if not project.tests.run:
        return {"status": "not run", "how": how}
    if not result["write"]["files_changed"] and not always:
        return {"status": "not run: the write changed nothing", "how": how}
    sdist = download(project, workdir / "sdists")
    try:
        python = test_suites.ensure_venv(project, sdist, workdir / "venvs")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        return {"status": f"venv failed: {error}", "how": how}
    before = test_suites.run_suite(project, python, workdir / "src" / project.slug)
    after = test_suites.run_suite(project, python, workdir / "written" / project.slug)
    lost = test_suites.lost_passes(before, after)
    for run in (before, after):
        run.pop("outcomes", None)
    return {"status": "run", "how": how, "before": before, "after": after, "lost": lost}
