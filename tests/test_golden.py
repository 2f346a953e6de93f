"""Every golden case: before -> after byte for byte, unchanged cases untouched, and a
second run changing nothing (idempotency)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from codemods.engine.parent import runner
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
from tests.support.golden import (
    FileCase,
    TreeCase,
    codemod_folders,
    file_cases,
    tree_cases,
    tree_settings,
)

FILE_CASES = file_cases()
TREE_CASES = tree_cases()


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.id for c in FILE_CASES])
def test_file_case(case: FileCase) -> None:
    before = _read(case.before)
    expected = before if case.after is None else _read(case.after)
    first = transform_text(
        before, registry.codes(case.settings), case.settings, module_name="case"
    )
    assert first.text == expected
    assert first.changed == (case.after is not None and expected != before)
    second = transform_text(
        first.text, registry.codes(case.settings), case.settings, module_name="case"
    )
    assert second.text == first.text, "a second run changed the output (not idempotent)"
    assert not second.changed


@pytest.mark.parametrize("case", TREE_CASES, ids=[c.id for c in TREE_CASES])
def test_tree_case(case: TreeCase, tmp_path: Path) -> None:
    work = tmp_path / "tree"
    shutil.copytree(case.root / "before", work)
    settings = replace(tree_settings(case), root=str(work))
    request = runner.Request((work,), settings, mode="run", write=True, jobs=2)
    runner.run(request)
    for before in sorted((case.root / "before").rglob("*.py")):
        relative = before.relative_to(case.root / "before")
        expected = case.root / "after" / relative
        wanted = expected if expected.exists() else before
        assert (work / relative).read_bytes() == wanted.read_bytes(), relative
    again = runner.run(replace(request, write=False, mode="check"))
    assert again.files_changed == 0, "a second run would change files (not idempotent)"


def test_every_codemod_has_cases() -> None:
    folders = {code for code, _ in codemod_folders()}
    for spec in registry.CODEMODS:
        assert spec.code in folders, f"the cases of {spec.code} are missing"
        cases = [c for c in FILE_CASES if c.code == spec.code]
        cases += [c for c in TREE_CASES if c.code == spec.code]  # type: ignore[misc]
        assert len(cases) >= 10, f"{spec.code} has only {len(cases)} golden cases"
        unchanged = [c for c in FILE_CASES if c.code == spec.code and c.after is None]
        assert unchanged, f"{spec.code} has no case it must leave unchanged"
