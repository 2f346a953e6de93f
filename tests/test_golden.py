"""Every golden case of every codemod: before -> after byte for byte (unchanged cases
untouched), the findings it states (code, line, column, fixable), and a second run
changing nothing (idempotency). The cases are ``codemods/rules/<name>/cases/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.rules import registry
from codemods.rules.cases import cases_of
from codemods.rules.specs import CodemodSpec
from tests.support.golden import (
    FileCase,
    TreeCase,
    check_file_case,
    check_tree_case,
    file_cases,
    tree_cases,
)

FILE_CASES = file_cases()
TREE_CASES = tree_cases()


@pytest.mark.parametrize("case", FILE_CASES, ids=[c.id for c in FILE_CASES])
def test_file_case(case: FileCase) -> None:
    check_file_case(case)


@pytest.mark.parametrize("case", TREE_CASES, ids=[c.id for c in TREE_CASES])
def test_tree_case(case: TreeCase, tmp_path: Path) -> None:
    check_tree_case(case, tmp_path)


@pytest.mark.parametrize("spec", registry.CODEMODS, ids=lambda s: s.code)
def test_every_codemod_has_cases(spec: CodemodSpec) -> None:
    cases = cases_of(spec)
    assert spec.cases.is_dir(), f"{spec.cases} is missing"
    assert len(cases) >= 10, f"{spec.code} has only {len(cases)} golden cases"
    assert any(case.after is None for case in cases if not case.is_tree), (
        f"{spec.code} has no case it must leave unchanged"
    )
    unstated = [case.name for case in cases if case.findings is None]
    assert unstated == [], f"{spec.code}: cases stating no findings"
