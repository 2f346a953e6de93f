"""``codemods validate``: each gate passing on the bundled app and failing on a copy of
it broken on purpose, the settings resolved alike wherever the tree lies, and the wheel
carrying what the bundled default needs.

The bundled app is validated once a session (``tests/support/validated.py``). The
broken copy breaks every gate at once, runs one conformance test and type-checks a
small module, so that it costs three codemod runs and little more. The wheel tests (one
build: its contents, then validating from it installed) are opt-in: ``-m slow``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import Result

from codemods.core.results import FileResult, Summary
from codemods.core.settings import Settings
from codemods.rules import registry
from codemods.validate import command, gates, project
from codemods.validate.bundle import default_path, default_paths
from codemods.validate.compare import imported_modules, python_files, reference_gate
from codemods.validate.results import GateResult, Status
from tests.support.cli import invoke, write
from tests.support.project import (
    LEGACY_APP,
    REFERENCE,
    REPO,
    copy_sources,
    copy_tree,
    opt_in,
)

if TYPE_CHECKING:
    from tests.support.validated import Validation

pytest_plugins = ["tests.support.validated"]

TITLES = [
    "(a) parse, idempotent",
    "(b) mypy --strict",
    "(c) codemods check",
    "(d) tests",
    "(e) reference",
]
CONFORMANCE = (
    '"{python}", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", '
    '"{bundle}", "-o", "pythonpath={bundle}", "--impl-root", "{root}"'
)


def table_rows(result: Result) -> dict[str, str]:
    """Gate title -> its result word, from the table on stdout."""
    rows = {}
    for line in result.stdout.splitlines():
        for title in TITLES:
            if line.startswith(title):
                rows[title] = line[len(title) :].split()[0]
    return rows


def broken_copy(tmp_path: Path, validate_table: str) -> Path:
    """A copy of the legacy app whose ``[tool.codemods.validate]`` is replaced."""
    app = copy_tree(LEGACY_APP, tmp_path / "app")
    pyproject = app / "pyproject.toml"
    head = pyproject.read_text().split("[tool.codemods.validate]")[0]
    table = textwrap.dedent(validate_table).lstrip()
    pyproject.write_text(f"{head}[tool.codemods.validate]\n{table}")
    return app


def test_the_bundled_app_passes_every_gate(bundled_validation: Validation) -> None:
    """``codemods validate`` of the bundled legacy app (the session's one run of it,
    --format json): its migration is complete, typed, tested and exact."""
    result, document = bundled_validation.result, bundled_validation.document
    assert result.exit_code == 0, result.stdout
    assert document["version"] == 1 and document["passed"] is True
    assert document["path"] == str(default_path())
    assert document["codemods"] == [spec.code for spec in registry.CODEMODS]
    statuses = {gate["gate"]: gate["status"] for gate in document["gates"]}
    assert list(statuses) == ["parse", "mypy", "check", "tests", "reference"]
    assert set(statuses.values()) == {"passed"}, result.stdout
    summaries = {gate["gate"]: gate["summary"] for gate in document["gates"]}
    assert summaries["mypy"] == "Success: no issues found in 3 source files"
    assert re.fullmatch(
        r"\d+ files scanned, nothing left to migrate", summaries["check"]
    )
    assert re.fullmatch(r"\d+ passed in .*", summaries["tests"])
    modules = len(python_files(REFERENCE))
    assert summaries["reference"] == f"{modules} modules identical to target_reference"
    assert result.stderr == ""


def test_the_kept_copy_is_the_migrated_project(bundled_validation: Validation) -> None:
    migrated = bundled_validation.migrated
    assert (migrated / "pyproject.toml").read_bytes() == (
        LEGACY_APP / "pyproject.toml"
    ).read_bytes()
    audit = (migrated / "resync/core/encrypted_audit.py").read_text()
    assert "async def start(self, tg: asyncio.TaskGroup | None = None)" in audit


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_with_no_path_it_validates_each_bundled_app(
    monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    """Both bundled apps, in order, each reported; one failing fails the run. (The
    gates themselves run on each app elsewhere: the legacy app in the session's
    validation, herald in ``tests/test_herald_migration.py``.)"""
    assert [p.relative_to(p.parents[1]).as_posix() for p in default_paths()] == [
        "fixtures/legacy_app",
        "fixtures/realistic_app",
    ]
    seen: list[Path] = []

    def gated(source: Path, overrides: object, workdir: object) -> object:
        seen.append(source)
        status: Status = "failed" if source.name == "realistic_app" else "passed"
        results = [GateResult("tests", status, f"{source.name} {status}")]
        return (
            source,
            project.plan(source, project.load_settings(source), source),
            results,
        )

    monkeypatch.setattr(command, "_validate", gated)
    result = invoke("validate", "--format", output_format)
    assert seen == list(default_paths())
    assert result.exit_code == 1
    if output_format == "json":
        documents = json.loads(result.stdout)
        assert [(d["path"], d["passed"]) for d in documents] == [
            (str(default_paths()[0]), True),
            (str(default_paths()[1]), False),
        ]
    else:
        lines = result.stdout.splitlines()
        assert lines[0] == str(default_paths()[0])
        assert str(default_paths()[1]) in lines
        assert "legacy_app passed" in result.stdout
        assert "realistic_app failed" in result.stdout


def test_a_workdir_that_is_not_empty_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "work/left-over.txt", "")
    result = invoke("validate", "--workdir", tmp_path / "work")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"codemods: error: --workdir {tmp_path / 'work'}: not an empty directory"
    )


def test_a_workdir_inside_the_copied_tree_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.codemods]\n")
    result = invoke("validate", tmp_path, "--workdir", tmp_path / "migrated")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"codemods: error: --workdir {tmp_path / 'migrated'}: "
        f"inside the copied tree {tmp_path}"
    )
    assert not (tmp_path / "migrated").exists()


def test_default_fixture_path_and_a_copy_elsewhere_resolve_alike(
    tmp_path: Path,
) -> None:
    root = tmp_path / "workspace" / "legacy_app"
    elsewhere = copy_tree(LEGACY_APP, tmp_path / "elsewhere" / "app")
    plans = []
    for source in (default_path(), LEGACY_APP, elsewhere):
        settings = project.load_settings(source)
        plans.append(replace(project.plan(source, settings, root), source=Path()))
    assert plans[0] == plans[1] == plans[2]
    plan = plans[0]
    assert plan.reference == REFERENCE
    assert [p.relative_to(root).as_posix() for p in plan.mypy_files or ()] == [
        "resync/core/encrypted_audit.py",
        "resync/core/orchestration/runner.py",
        "resync/core/enterprise/manager.py",
    ]
    assert plan.test_command is not None
    assert plan.test_command[-2:] == ("--impl-root", str(root))
    assert f"{REFERENCE.parent}/tests/conformance" in plan.test_command
    assert plan.retired == ("resync/core/task_tracker.py",)
    assert registry.option(plan.settings, "TG003", "task-names") == {
        "_run_loop": 'f"workflow_{trace_id}"'
    }


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """One copy of the legacy app broken four ways, validated (text output):

    - TG003 dangling-task deselected (``--ignore``), which leaves the runner's bare
      ``asyncio.create_task``, so the conformance test of executions run in a given
      TaskGroup fails (the test command runs just that test);
    - a type error injected into ``resync/core/lifecycle.py`` (the one mypy file);
    - a syntax error injected into ``resync/main.py`` (which no test imports);
    - the reference's ``resync/core/services.py`` altered.
    """
    tmp = tmp_path_factory.mktemp("broken")
    reference = copy_tree(REFERENCE, tmp / "reference")
    services = reference / "resync/core/services.py"
    services.write_text(services.read_text() + "# altered\n")
    app = broken_copy(
        tmp,
        f"""
        mypy-files = ["resync/core/lifecycle.py"]
        test-command = [{CONFORMANCE}, "-k", "named_after_their_trace",
                        "{{bundle}}/tests/conformance/test_runner.py"]
        reference = "../reference"
        retired = ["resync/core/task_tracker.py"]
        """,
    )
    with (app / "resync/main.py").open("a") as main:
        main.write("def broken(:\n")
    with (app / "resync/core/lifecycle.py").open("a") as lifecycle:
        lifecycle.write('\n\ndef typed() -> int:\n    return "not an int"\n')
    return invoke("validate", app, "--ignore", "dangling-task")


def details(result: Result, title: str) -> list[str]:
    """The lines a failed gate printed under its ``== <title>: ...`` header."""
    lines = result.stdout.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.startswith(f"== {title}:")]
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].startswith("== ")),
        len(lines),
    )
    return lines[start:end]


def test_the_gate_table_marks_each_gate(broken: Result) -> None:
    assert broken.exit_code == 1
    assert table_rows(broken) == dict.fromkeys(TITLES, "failed")
    assert broken.stderr.strip().splitlines()[-1] == "validation failed: 5 of 5 gates"


def test_a_file_that_does_not_parse_fails_the_parse_gate(broken: Result) -> None:
    lines = details(broken, "(a) parse, idempotent")
    assert lines[0] == "== (a) parse, idempotent: 1 file(s) do not parse"
    assert lines[1:] == [
        "resync/main.py: does not parse: invalid syntax (main.py, line 13)"
    ]


def test_a_file_a_second_run_changes_fails_the_parse_gate(tmp_path: Path) -> None:
    """Idempotency, on run summaries made up for it (no engine run)."""
    write(tmp_path, "app/service.py", "import asyncio\n")
    settings = replace(Settings(), config_path=None)
    plan = project.plan(tmp_path, settings, tmp_path)
    path = str(tmp_path / "app/service.py")
    first = Summary((FileResult(path, changed=True),), mode="run")
    diff = "--- a/app/service.py\n+++ b/app/service.py\n"
    second = Summary((FileResult(path, changed=True, diff=diff),))
    result = gates.parse_gate(plan, first, second)
    assert (result.status, result.summary) == (
        "failed",
        "1 file(s) change on a second run",
    )
    assert result.details == f"app/service.py: a second run changes it\n{diff}"


def test_an_injected_type_error_fails_the_mypy_gate(broken: Result) -> None:
    lines = details(broken, "(b) mypy --strict")
    assert lines[0] == (
        "== (b) mypy --strict: Found 1 error in 1 file (checked 1 source file)"
    )
    assert any(
        re.fullmatch(
            r"resync/core/lifecycle\.py:\d+: error: Incompatible return value type "
            r'\(got "str", expected "int"\)  \[return-value\]',
            line,
        )
        for line in lines
    ), lines


def test_a_deselected_codemod_fails_the_check_gate(broken: Result) -> None:
    """Checked with the tree's own configuration (all codemods), as its CI would."""
    lines = details(broken, "(c) codemods check")
    assert any(
        line.startswith("resync/core/orchestration/runner.py:95:9: TG003 ")
        for line in lines
    ), lines
    assert lines[-2:] == [
        "resync/core/orchestration/runner.py: would be changed by TG003",
        "resync/core/startup.py: would be changed by TG005",
    ]


def test_a_failing_conformance_test_fails_the_tests_gate(broken: Result) -> None:
    lines = details(broken, "(d) tests")
    assert re.fullmatch(
        r"== \(d\) tests: exit 1: 1 failed, \d+ deselected in .*", lines[0]
    )
    assert lines[1].startswith("$ ") and "--impl-root" in lines[1]
    assert any(
        line.startswith("FAILED ")
        and "test_executions_run_in_the_given_taskgroup_named_after_their_trace" in line
        for line in lines
    ), lines


def test_an_altered_reference_module_fails_the_reference_gate(broken: Result) -> None:
    lines = details(broken, "(e) reference")
    # The other breakages show too (TG005 passes the lifespan's group only to a
    # runner TG003 gave a group parameter).
    modules = len(python_files(REFERENCE))
    assert lines[0] == f"== (e) reference: 5 of {modules} modules differ"
    differing = [
        line for line in lines if line.endswith(": differs from the reference")
    ]
    assert differing == [
        f"resync/{module}: differs from the reference"
        for module in (
            "core/lifecycle.py",
            "core/orchestration/runner.py",
            "core/services.py",
            "core/startup.py",
            "main.py",
        )
    ]
    assert "-# altered" in lines
    assert "-        task_group = self.tg if tg is None else tg" in lines
    assert "+        asyncio.create_task(self._run_loop(execution.id))" in lines


def test_unconfigured_gates_are_skipped_not_failed(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.codemods]\n")
    write(tmp_path, "app/clean.py", "import asyncio\n")
    result = invoke("validate", tmp_path)
    assert result.exit_code == 0, result.stdout
    assert table_rows(result) == {
        "(a) parse, idempotent": "passed",
        "(b) mypy --strict": "skipped",
        "(c) codemods check": "passed",
        "(d) tests": "skipped",
        "(e) reference": "skipped",
    }


def test_an_unknown_validate_key_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.codemods.validate]\nmypy = []\n")
    result = invoke("validate", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"codemods: error: {tmp_path / 'pyproject.toml'}: "
        "unknown key 'mypy' in [tool.codemods.validate]"
    )


def test_a_retired_module_still_imported_fails_the_reference_gate(
    tmp_path: Path,
) -> None:
    write(tmp_path, "old/app/__init__.py", "")
    write(tmp_path, "old/app/tracker.py", "X = 1\n")
    write(tmp_path, "old/app/user.py", "from . import tracker\n")
    copy_tree(tmp_path / "old", tmp_path / "reference")
    (tmp_path / "reference/app/tracker.py").unlink()
    table = {"reference": "../reference", "retired": ["app/tracker.py"]}
    settings = replace(Settings(), validate=table, config_path=None)
    plan = project.plan(tmp_path / "old", settings, tmp_path / "old")
    result = reference_gate(plan)
    assert result.status == "failed"
    assert result.details == "app/user.py: still imports retired app.tracker\n"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("a/b/c.py", "from . import d", {"a.b", "a.b.d"}),
        ("a/b/__init__.py", "from .c import x", {"a.b.c", "a.b.c.x"}),
        ("a/b/c.py", "from ..e import f", {"a.e", "a.e.f"}),
        ("a/b/c.py", "import x.y as z, w", {"x.y", "w"}),
    ],
    ids=["sibling", "package_init", "parent", "plain"],
)
def test_imported_modules_resolves_relative_imports(
    tmp_path: Path, module: str, source: str, expected: set[str]
) -> None:
    path = write(tmp_path, module, source + "\n")
    assert imported_modules(path, module) == expected


@pytest.fixture(scope="module")
def wheel(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Path:
    """The wheel built from a copy of the working tree (once; with build isolation,
    so pip may fetch setuptools: opt-in)."""
    opt_in(request)
    tmp = tmp_path_factory.mktemp("wheel")
    sources = copy_sources(tmp / "src")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp, sources],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return next(tmp.glob("taskgroup_codemods-*.whl"))


@pytest.mark.slow
def test_the_wheel_carries_the_bundled_apps_reference_and_test_suites(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {n.removeprefix("codemods/_bundled/") for n in names if "_bundled" in n}
    expected = {
        f"{tree}/{module}"
        for tree, root in (
            ("fixtures/legacy_app", LEGACY_APP),
            ("fixtures/realistic_app", REPO / "fixtures/realistic_app"),
            ("target_reference", REFERENCE),
        )
        for module in python_files(root)
    }
    assert expected <= bundled
    assert {
        "fixtures/legacy_app/pyproject.toml",
        "tests/conftest.py",
        "tests/conformance/conftest.py",
        "tests/conformance/test_runner.py",
        "fixtures/realistic_app/pyproject.toml",
        "tests/realistic_app/conftest.py",
        "tests/realistic_app/test_root_taskgroup.py",
    } <= bundled
    assert not [name for name in names if "__pycache__" in name or "/." in name]
    assert "codemods/validate/command.py" in names


@pytest.mark.slow
def test_the_installed_wheel_validates_its_bundled_app(
    wheel: Path, tmp_path: Path
) -> None:
    """Installed, not editable: the bundled default (both apps) finds all it needs in
    the wheel."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-t", site, wheel],
        check=True,
        capture_output=True,
        timeout=600,
    )
    # -P: this checkout, the working directory, must not shadow the installed package.
    run = subprocess.run(
        [sys.executable, "-P", "-m", "codemods", "validate", "--format", "json"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    documents = json.loads(run.stdout)
    bundle = site / "codemods/_bundled/fixtures"
    assert [d["path"] for d in documents] == [
        str(bundle / "legacy_app"),
        str(bundle / "realistic_app"),
    ]
    for document in documents:
        statuses = {gate["gate"]: gate["status"] for gate in document["gates"]}
        assert statuses["reference"] in ("passed", "skipped")
        assert set(statuses.values()) <= {"passed", "skipped"}, run.stdout
    assert run.returncode == 0
