"""``codemods validate`` as a first user meets it (issue 24): a directory in
``mypy-files``, an honest verdict when gates are not configured, and a one-line hint when
a gate failed for a module the environment lacks."""

from __future__ import annotations

from pathlib import Path

from codemods.validate.hints import hint
from codemods.validate.results import failed, passed
from tests.support.cli import invoke, write


def _project(root: Path, validate_table: str) -> Path:
    write(
        root,
        "pyproject.toml",
        f"[tool.codemods]\n[tool.codemods.validate]\n{validate_table}",
    )
    write(root, "svc/__init__.py", "")
    write(root, "svc/core.py", "def double(x: int) -> int:\n    return x * 2\n")
    return root


def test_mypy_files_accepts_a_directory(tmp_path: Path) -> None:
    result = invoke("validate", _project(tmp_path, 'mypy-files = ["svc"]\n'))
    assert result.exit_code == 0, result.stdout + result.stderr
    mypy_row = next(line for line in result.stdout.splitlines() if "(b) mypy" in line)
    assert "passed" in mypy_row and "Success" in mypy_row


def test_skipped_gates_are_named_in_the_verdict(tmp_path: Path) -> None:
    result = invoke("validate", _project(tmp_path, ""))
    assert result.exit_code == 0
    verdict = result.stderr.strip().splitlines()[-1]
    assert verdict == (
        "validation passed 2 of 5 gates; skipped, not configured in "
        "[tool.codemods.validate]: (b) mypy --strict, (d) tests, (e) reference"
    )


def test_a_missing_module_gives_a_one_line_hint(tmp_path: Path) -> None:
    write(tmp_path, "svc/uses.py", "import not_installed_anywhere\n")
    table = (
        'mypy-files = ["svc"]\n'
        'test-command = ["{python}", "-c", "import not_installed_either"]\n'
    )
    result = invoke("validate", _project(tmp_path, table))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "hint: not_installed_anywhere, not_installed_either not installed: install "
        "the project's dependencies in the environment that runs codemods"
    )


def test_the_bundled_app_hint_names_the_reference_extra() -> None:
    results = [
        passed("parse", "ok"),
        failed(
            "mypy",
            "Found 1 error",
            "x.py:1: error: Cannot find implementation or library stub for module "
            'named "sqlalchemy"  [import-not-found]\n',
        ),
        failed("tests", "exit 1: ModuleNotFoundError: No module named 'pytest'"),
    ]
    assert hint(results, bundled=True) == (
        "hint: sqlalchemy, pytest not installed: the bundled application needs the "
        "[reference] extra: pip install 'taskgroup-codemods[reference]'"
    )
    assert hint(results[:1], bundled=True) is None
