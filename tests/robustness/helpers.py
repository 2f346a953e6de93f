"""Shared by the robustness tests: the CLI as a subprocess, snapshots, big stacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from codemods.engine.pool import RECURSION_LIMIT, STACK_SIZE

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[2]
CACHE_DIR = ".codemods_cache"

# The `codemods` console script as pip writes it. Run as `python <script>`, its own
# directory (not the working directory) heads sys.path, as for the installed script.
CONSOLE_SCRIPT = """\
import sys
from codemods.cli import main
if __name__ == "__main__":
    sys.exit(main())
"""


def cli_argv(scratch: Path) -> list[str]:
    """argv that runs the CLI the way the installed console script does."""
    script = scratch / "codemods-cli" / "codemods"
    if not script.exists():
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(CONSOLE_SCRIPT)
    return [sys.executable, str(script)]


def cli_env() -> dict[str, str]:
    """The environment for CLI subprocesses: no colour; the package importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["NO_COLOR"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), env.get("PYTHONPATH")])
    )
    env.pop("PYTHONSAFEPATH", None)
    return env


def run_cli(
    scratch: Path,
    args: Sequence[str | Path],
    *,
    cwd: Path,
    timeout: float = 300,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """``codemods <args>`` in ``cwd``; ``prefix`` wraps it (e.g. ``setpriv``)."""
    return subprocess.run(
        [*prefix, *cli_argv(scratch), *map(str, args)],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (relative posix path -> bytes), except the
    results cache the CLI keeps in ``.codemods_cache/``."""
    return {
        relative.as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not path.is_symlink()
        and CACHE_DIR not in (relative := path.relative_to(root)).parts
    }


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def with_big_stack(function: Callable[[], T]) -> T:
    """Run ``function`` as the workers run files: big stack, high recursion limit."""
    outcome: dict[str, object] = {}

    def target() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(RECURSION_LIMIT)
        try:
            outcome["value"] = function()
        except BaseException as exc:  # handed to the calling thread
            outcome["error"] = exc
        finally:
            sys.setrecursionlimit(limit)

    previous = threading.stack_size(STACK_SIZE)
    try:
        thread = threading.Thread(target=target)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
