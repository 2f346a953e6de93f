"""Everything the harness does to one project, as one JSON-ready result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from . import hunks, settings, source_checks, test_suites, tool_runs
from .fetch import download, unpack
from .projects import Project


def _finding_lines(found: list[dict[str, Any]], rule: str) -> set[tuple[str, int]]:
    return {(str(f["path"]), int(f["line"])) for f in found if f["rule"] == rule}


def migrate(project: Project, workdir: Path, jobs: int) -> dict[str, Any]:
    """check, dry run, write, second write, compile, check again, Ruff: on fresh copies of
    the unpacked sdist (`workdir/src/<slug>` stays pristine)."""
    sdist = download(project, workdir / "sdists")
    pristine = unpack(sdist, workdir / "src" / project.slug)
    written = workdir / "written" / project.slug
    if written.exists():
        shutil.rmtree(written)
    shutil.copytree(pristine, written, symlinks=True)

    python = settings.declared_python(pristine)
    target = python.value if python else None
    limit = settings.line_length(pristine)
    files = source_checks.python_files(pristine)

    check = tool_runs.codemods("check", pristine, jobs=jobs)
    found = tool_runs.findings(check.report)
    dry = tool_runs.codemods("run", pristine, jobs=jobs)
    all_hunks = [
        h
        for path, diff in sorted(tool_runs.diffs(dry.report).items())
        for h in hunks.split(path, diff)
    ]

    before = source_checks.snapshot(written)
    write = tool_runs.codemods("run", written, "--write", jobs=jobs)
    after_write = source_checks.snapshot(written)
    second = tool_runs.codemods("run", written, "--write", jobs=jobs)
    after_second = source_checks.snapshot(written)
    changed = [
        p
        for p in source_checks.changed_between(before, after_write)
        if p.endswith(".py")
    ]

    broken_before = source_checks.compile_failures(pristine, files, target)
    broken_after = source_checks.compile_failures(written, files, target)
    check_after = tool_runs.codemods("check", written, jobs=jobs)

    texts = {
        p: (
            (pristine / p).read_text(encoding="utf-8", errors="replace"),
            (written / p).read_text(encoding="utf-8", errors="replace"),
        )
        for p in changed
    }
    ruff_sites = tool_runs.ruff_ruf006(pristine)
    tg003 = _finding_lines(found, "TG003")
    imports_before = tool_runs.ruff_import_order(pristine, changed)
    imports_after = tool_runs.ruff_import_order(written, changed)
    return {
        "name": project.name,
        "version": project.version,
        "kind": project.kind,
        "why": project.why,
        "tests_how": project.tests.how,
        "files": len(files),
        "python": {
            "target": list(target) if target else None,
            "source": python.source if python else "not declared",
        },
        "line_length": {"value": limit.value, "source": limit.source},
        "check": {
            "returncode": check.returncode,
            "summary": check.report.get("summary"),
            "errors": tool_runs.errors(check.report),
            "stderr": check.stderr,
        },
        "findings": found,
        "hunks": [
            {
                "path": h.path,
                "line": h.line,
                "text": h.text,
                "rules": hunks.rules_in(h, found),
                "long_lines": source_checks.long_added_lines(h, int(limit.value)),
            }
            for h in all_hunks
        ],
        "write": {
            "returncode": write.returncode,
            "files_changed": changed,
            "stderr": write.stderr,
        },
        "second_write": {
            "returncode": second.returncode,
            "files_changed": source_checks.changed_between(after_write, after_second),
        },
        "compile": {
            "checked": len(files),
            "broken_by_write": {
                p: e for p, e in broken_after.items() if p not in broken_before
            },
            "broken_before": len(broken_before),
        },
        "taskgroup_below_3_11": sorted(
            p
            for p, (old, new) in texts.items()
            if target is not None
            and tuple(target) < (3, 11)
            and source_checks.taskgroup_added(old, new)
        ),
        "lost_comments": {
            p: lost
            for p, (old, new) in texts.items()
            if (lost := source_checks.lost_comments(old, new))
        },
        "import_order": {
            p: [imports_before.get(p, 0), imports_after.get(p, 0)]
            for p in changed
            if imports_after.get(p, 0) > imports_before.get(p, 0)
        },
        "check_after": {
            "returncode": check_after.returncode,
            "summary": check_after.report.get("summary"),
            "findings": tool_runs.findings(check_after.report),
        },
        "ruf006": {
            "sites": ruff_sites,
            "missed_by_tg003": [
                s for s in ruff_sites if (s["path"], s["line"]) not in tg003
            ],
        },
    }


def test(
    project: Project, workdir: Path, result: dict[str, Any], always: bool
) -> dict[str, Any]:
    """The project's suite before and after the write (after only if a file changed)."""
    if not project.tests.run:
        return {"status": "not run", "how": project.tests.how}
    changed = result["write"]["files_changed"]
    if not changed and not always:
        return {
            "status": "not run: the write changed nothing",
            "how": project.tests.how,
        }
    sdist = download(project, workdir / "sdists")
    try:
        python = test_suites.ensure_venv(project, sdist, workdir / "venvs")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        return {"status": f"venv failed: {error}", "how": project.tests.how}
    before = test_suites.run_suite(project, python, workdir / "src" / project.slug)
    after = test_suites.run_suite(project, python, workdir / "written" / project.slug)
    lost = test_suites.lost_passes(before, after)
    for run in (before, after):
        run.pop("outcomes", None)
    return {
        "status": "run",
        "how": project.tests.how,
        "before": before,
        "after": after,
        "lost": lost,
    }
