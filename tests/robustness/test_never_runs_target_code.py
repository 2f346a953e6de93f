"""The code being migrated is read, never run (issue 7.5).

A project is planted with files that, if imported or executed in any way, create a
marker file: module-level code in the modules the codemods change, a package
``__init__``, ``.pth`` files, a ``conftest.py``, ``sitecustomize``/``usercustomize``,
and modules named like what the tool itself imports (``click.py``, ``libcst.py``, ...).
``list``, ``run``, ``check`` and ``run --write`` run in that project as the installed
console script does, and ``list`` and ``run --write`` as ``python -m codemods`` (whose
start-up puts the project first on ``sys.path``); no marker may appear.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.helpers import cli_env, run_cli
from tests.support.cli import TRACKED

# Modules the tool (or Python at start-up) imports by name; `ast` and `tokenize` are
# standard library modules LibCST and the engine use.
SHADOWED = ("click", "rich", "libcst", "pathspec", "ast", "tokenize", "yaml")
COMMANDS = (
    ("list",),
    ("run", "."),
    ("check", "."),
    ("run", "--write", "."),  # last: it changes the planted modules
)


def _plant(root: Path, markers: Path) -> dict[str, Path]:
    """Every planted file -> the marker it would create."""
    planted: dict[str, Path] = {}

    def code(name: str) -> str:
        marker = markers / name.replace("/", "__")
        planted[name] = marker
        return f"open({str(marker)!r}, 'w').close()\n"

    def plant(name: str, text: str) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    legacy = TRACKED.lstrip("\n")
    plant("app/__init__.py", code("app/__init__.py"))
    plant("app/service.py", code("app/service.py") + legacy)
    first_line = "import asyncio\n"
    plant(
        "app/worker.py", legacy.replace(first_line, first_line + code("app/worker.py"))
    )
    plant("conftest.py", code("conftest.py") + legacy)
    plant("tests/conftest.py", code("tests/conftest.py"))
    plant("sitecustomize.py", code("sitecustomize.py"))
    plant("usercustomize.py", code("usercustomize.py"))
    plant("__main__.py", code("__main__.py"))
    plant("setup.py", code("setup.py"))
    for name in ("evil.pth", "app/evil.pth"):
        plant(name, "import os; " + code(name))
    for module in SHADOWED:
        plant(f"{module}.py", code(f"{module}.py") + "raise SystemExit('shadowed')\n")
    return planted


@pytest.mark.parametrize("how", ["console-script", "python-m"])
def test_no_command_runs_the_code_it_reads(tmp_path: Path, how: str) -> None:
    root, markers = tmp_path / "project", tmp_path / "markers"
    markers.mkdir()
    planted = _plant(root, markers)
    service = root / "app" / "service.py"
    original = service.read_text()

    for command in COMMANDS if how == "console-script" else COMMANDS[::3]:
        if how == "console-script":
            result = run_cli(tmp_path, command, cwd=root)
        else:
            result = subprocess.run(
                [sys.executable, "-m", "codemods", *command],
                cwd=root,
                env=cli_env(),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        ran = sorted(name for name, marker in planted.items() if marker.exists())
        assert ran == [], f"`codemods {' '.join(command)}` ran {ran}"
        assert "shadowed" not in result.stderr, result.stderr
        expected = {"list": 0, "run": 0, "check": 1}[command[0]]
        assert result.returncode == expected, (command, result.stderr[-2000:])

    assert list(markers.iterdir()) == []
    changed = service.read_text()
    assert changed != original and 'tg.create_task(tick(), name="tick")' in changed
