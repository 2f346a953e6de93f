"""Gates (a) to (d) on the migrated copy; (e) is in ``compare.py``.

Only here does the tool run anything of the code it migrated, and only the copy:
``mypy`` reads it, the configured test command runs it.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from codemods.core.results import ExitCode, FileResult, Summary
from codemods.core.settings import Settings
from codemods.engine.parent import runner
from codemods.engine.reporting.words import plural
from codemods.validate.compare import python_files
from codemods.validate.project import Plan
from codemods.validate.results import GateResult, failed, passed, skipped, verdict

OUTPUT_TAIL = 60  # lines of a failing test command's output shown


def migrate(plan: Plan, settings: Settings, *, write: bool) -> Summary:
    """Run the codemods on the copy: ``write`` applies them; otherwise it is a check
    whose diffs show what it would still change."""
    request = runner.Request(
        paths=(plan.target,),
        settings=settings,
        mode="run" if write else "check",
        write=write,
        want_diff=True,
    )
    return runner.run(request)


def parse_gate(plan: Plan, first: Summary, second: Summary) -> GateResult:
    """(a) Every file of the migrated copy parses; a second run changes nothing."""
    errors = [r for r in (*first.results, *second.results) if r.error is not None]
    problems = [_error_line(plan, r) for r in errors]
    files = python_files(plan.root)
    unparsable = set()
    for relative, path in files.items():
        try:
            ast.parse(path.read_bytes(), filename=relative)
        except (SyntaxError, ValueError) as exc:
            problems.append(f"{relative}: does not parse: {exc}")
            unparsable.add(relative)
    failing = {_shown(plan, r.path) for r in errors} - unparsable
    unstable = [r for r in second.results if r.changed]
    for result in unstable:
        problems.append(f"{_shown(plan, result.path)}: a second run changes it")
        problems.append((result.diff or "").rstrip("\n"))
    counts = [
        (len(unparsable), "do not parse"),
        (len(failing), "fail in the codemods"),
        (len(unstable), "change on a second run"),
    ]
    return verdict(
        "parse",
        list(dict.fromkeys(problems)),  # an error shows in both runs
        f"{len(files)} files parse; a second run changes nothing",
        ", ".join(f"{n} file(s) {what}" for n, what in counts if n),
    )


def check_gate(plan: Plan, check: Summary) -> GateResult:
    """(c) ``codemods check`` on the migrated copy: nothing left, no finding (but in
    a *retired* module, which the migration leaves behind for a person to delete:
    that it can go is what ``check`` says there)."""
    problems = [_error_line(plan, r) for r in check.results if r.error is not None]
    retired = set(plan.retired)
    problems += [
        f"{_shown(plan, r.path)}:{f.line}:{f.col}: {f.rule} {f.message}"
        for r in check.results
        if _shown(plan, r.path) not in retired
        for f in r.findings
    ]
    problems += [
        f"{_shown(plan, r.path)}: would be changed by {', '.join(r.changed_by)}"
        for r in check.results
        if r.changed
    ]
    in_retired = any(
        r.findings for r in check.results if _shown(plan, r.path) in retired
    )
    if check.return_code is not ExitCode.OK and not problems and not in_retired:
        problems.append(f"codemods check exits {int(check.return_code)}")
    return verdict(
        "check",
        problems,
        f"{plural(check.files_scanned, 'file')} scanned, nothing left to migrate",
        f"{len(problems)} error(s), finding(s) or change(s) left",
    )


def mypy_gate(plan: Plan, cache_dir: Path) -> GateResult:
    """(b) ``mypy --strict`` through mypy's API on the configured files of the copy."""
    if not plan.mypy_files:
        return skipped("mypy", "no mypy-files configured")
    # A directory is a package or a tree of modules: mypy takes it as it is.
    missing = [_shown(plan, str(f)) for f in plan.mypy_files if not f.exists()]
    if missing:
        return failed("mypy", f"not found: {', '.join(missing)}")
    from mypy import api  # the slowest import of the tool: only where it is used

    stdout, stderr, status = api.run(
        [
            "--strict",
            f"--cache-dir={cache_dir}",
            f"--config-file={_mypy_config(plan.root)}",
            "--no-color-output",
            *map(str, plan.mypy_files),
        ]
    )
    output = (stdout + stderr).replace(f"{plan.root}/", "")
    lines = output.strip().splitlines()
    last = lines[-1] if lines else f"mypy exited {status}"
    if status == 0:
        return passed("mypy", last)
    return failed("mypy", last, output)


def tests_gate(plan: Plan) -> GateResult:
    """(d) The configured test command, run in the copy's project directory."""
    if not plan.test_command:
        return skipped("tests", "no test-command configured")
    shown = " ".join(plan.test_command)
    try:
        completed = subprocess.run(
            plan.test_command,
            cwd=plan.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=plan.test_timeout,
            check=False,
        )
    except FileNotFoundError:
        return failed("tests", f"command not found: {plan.test_command[0]}")
    except subprocess.TimeoutExpired:
        return failed("tests", f"timed out after {plan.test_timeout}s: {shown}")
    lines = completed.stdout.decode(errors="replace").strip().splitlines()
    last = lines[-1] if lines else "(no output)"
    if completed.returncode == 0:
        return passed("tests", last)
    tail = "".join(f"{line}\n" for line in lines[-OUTPUT_TAIL:])
    return failed("tests", f"exit {completed.returncode}: {last}", f"$ {shown}\n{tail}")


def _mypy_config(root: Path) -> str:
    """The copy's own mypy configuration (plugins, paths) if it has one; else none at
    all, rather than whatever mypy would find above the temporary directory."""
    for name in ("mypy.ini", ".mypy.ini"):
        if (root / name).is_file():
            return str(root / name)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.mypy" in pyproject.read_text(errors="replace"):
        return str(pyproject)
    return ""


def _error_line(plan: Plan, result: FileResult) -> str:
    if result.error is None:
        return ""
    e = result.error
    return f"{_shown(plan, result.path)}:{e.line}:{e.col}: {e.kind} error: {e.message}"


def _shown(plan: Plan, path: str) -> str:
    """A path of the copy as the user knows it: relative to the project."""
    try:
        return Path(path).resolve().relative_to(plan.root.resolve()).as_posix()
    except ValueError:
        return path
