"""A project's own test suite, in a venv of its own, on a throwaway copy of a tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from .projects import Project

INSTALL_TIMEOUT = 1200


def ensure_venv(project: Project, sdist: Path, venvs: Path) -> Path:
    """The python of `project`'s test venv: the project from its sdist (so its
    dependencies come too) plus the suite's own; built once, kept while the stamp holds.
    """
    venv = venvs / project.slug
    python = venv / "bin" / "python"
    stamp = venv / "realworld-stamp.txt"
    wanted = "\n".join([project.pin, *project.tests.deps])
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if venv.exists():
        shutil.rmtree(venv)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run(
        [*pip, str(sdist), *project.tests.deps], check=True, timeout=INSTALL_TIMEOUT
    )
    stamp.write_text(wanted)
    return python


def outcomes(junit: Path) -> dict[str, str]:
    """test id -> passed / failed / error / skipped, from a JUnit XML report."""
    results: dict[str, str] = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome = "passed"
        for child in case:
            if child.tag in {"failure", "error", "skipped"}:
                outcome = {"failure": "failed"}.get(child.tag, child.tag)
                break
        results[test_id] = outcome
    return results


def run_suite(project: Project, python: Path, tree: Path) -> dict[str, Any]:
    """Run the suite on a copy of `tree`: counts per outcome, and each outcome."""
    with tempfile.TemporaryDirectory(prefix=f"realworld-{project.name}-") as scratch:
        copy = Path(scratch) / "tree"
        shutil.copytree(tree, copy, symlinks=True)
        junit = Path(scratch) / "junit.xml"
        env = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str((copy / project.tests.import_root).resolve()),
        }
        argv = [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            f"--junitxml={junit}",
            *project.tests.command,
        ]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                argv,
                cwd=copy,
                env=env,
                capture_output=True,
                text=True,
                timeout=project.tests.timeout,
            )
        except subprocess.TimeoutExpired:
            return {"status": f"timed out after {project.tests.timeout} s"}
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        if not junit.exists():
            return {"status": f"no report (exit {done.returncode})", "tail": tail}
        results = outcomes(junit)
    counts = {
        kind: sum(1 for value in results.values() if value == kind)
        for kind in ("passed", "failed", "error", "skipped")
    }
    return {
        "status": f"exit {done.returncode}",
        "seconds": round(time.perf_counter() - started, 1),
        **counts,
        "tail": tail,
        "outcomes": results,
    }


def lost_passes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Tests that passed before the write and do not pass after it."""
    old = before.get("outcomes") or {}
    new = after.get("outcomes") or {}
    return sorted(
        test
        for test, outcome in old.items()
        if outcome == "passed" and new.get(test) != "passed"
    )
