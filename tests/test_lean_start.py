"""A small run pays only for what its candidates need (issue 22): a check whose files
need LibCST imports LibCST, but neither ``libcst.codemod`` (LibCST's codemod framework,
which our codemods do not derive from) nor ``libcst.matchers`` (a 590 KB generated
module), each as much CPU as LibCST's own import. Checked by ``sys.modules`` in a
process of its own: behaviour, not timing."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from codemods.rules import registry
from tests.support.cli import write
from tests.support.process import run_python

CASES = Path(registry.__file__).parent
# One golden case of each codemod the tree exercises, with the findings it states:
# loop checks (TG002), a buffer (TG004), a FastAPI lifespan and endpoint (TG003,
# TG007), an aiohttp cleanup context (TG005, TG007).
INPUTS = {
    "sync_start/cases/bound_loop_check.before.py": "loops.py",
    "bounded_buffer/cases/a_buffer_drained_under_its_lock.before.py": "buffer.py",
    "root_taskgroup/cases/fastapi_endpoint_takes_the_root.before.py": "api.py",
    "root_taskgroup/cases/aiohttp_cleanup_context.before.py": "web.py",
}
SPAWNS = (
    "import asyncio\n\n\nasync def main() -> None:\n    asyncio.create_task(main())\n"
)
HEAVY = ("libcst", "multiprocessing.forkserver", "codemods.engine.pool")


def _small_tree(root: Path) -> Path:
    for case, name in INPUTS.items():
        shutil.copyfile(CASES / case, root / name)
    write(root, "spawns.py", SPAWNS)
    write(root, "quiet.py", "VALUE = 1\n")
    return root


def _checked(root: Path) -> tuple[set[str], set[str]]:
    """The codes a check of ``root`` with every codemod (in a process of its own)
    found, and the modules of ``HEAVY`` it imported."""
    code = textwrap.dedent(
        f"""
        import sys
        from codemods.cli import main
        from codemods.rules.registry import CODEMODS

        every = ",".join(spec.code for spec in CODEMODS)
        try:
            main(["check", "--no-cache", "--select", every, "--format", "json",
                  sys.argv[1]])
        except SystemExit:
            pass
        print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))
        """
    )
    done = run_python(code, root, cwd=root)
    *report, imported = done.stdout.splitlines()
    files = json.loads("\n".join(report))["files"]
    codes = {finding["rule"] for file in files for finding in file["findings"]}
    return codes, set(eval(imported))  # a printed list


LEGACY_APP = Path(__file__).parents[1] / "fixtures" / "legacy_app"


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        ("cases", {"TG002", "TG003", "TG004", "TG005", "TG007"}),
        # TG001's fixes leave the tracker's import unused: it goes, all the same.
        ("legacy_app", {"TG001", "TG002", "TG003", "TG004", "TG005"}),
    ],
)
def test_a_small_check_with_candidates_imports_no_codemod_framework(
    tree: str, expected: set[str], tmp_path: Path
) -> None:
    if tree == "cases":
        root = _small_tree(tmp_path)
    else:
        root = tmp_path / tree
        shutil.copytree(LEGACY_APP, root)
    codes, imported = _checked(root)
    assert expected <= codes
    assert "libcst" in imported
    assert not {
        module
        for module in imported
        if module.startswith(("libcst.codemod", "libcst.matchers"))
    }
    # Done in this process: no pool, no forkserver.
    assert not imported & {"multiprocessing.forkserver", "codemods.engine.pool"}


def test_a_check_without_candidates_imports_neither_libcst_nor_the_index(
    tmp_path: Path,
) -> None:
    write(tmp_path, "quiet.py", "VALUE = 1\n")
    heavy = ("libcst", "codemods.analysis.index", "codemods.engine.parent.shared_index")
    code = textwrap.dedent(
        f"""
        import sys
        from codemods.cli import main

        try:
            main(["check", "--no-cache", sys.argv[1]])
        except SystemExit:
            pass
        print(sorted(m for m in sys.modules if m.startswith({heavy!r})))
        """
    )
    done = run_python(code, tmp_path, cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == "[]"
    assert "1 file scanned, 0 would change" in done.stderr
