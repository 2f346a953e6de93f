"""Each codemod documents itself, and its documented examples are true."""

from __future__ import annotations

import json

import pytest

from codemods.core.settings import Settings
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
from codemods.rules.docs import Example, document
from codemods.rules.specs import CodemodSpec
from tests.support.cli import invoke
from tests.support.golden import file_cases

SPECS = registry.CODEMODS
EXAMPLES = [(spec, example) for spec in SPECS for example in document(spec).examples]
# An example runs with its case's own configuration (TG007's needs TG005 beside it).
CASE_SETTINGS = {(case.code, case.case.title): case.settings for case in file_cases()}


@pytest.mark.parametrize("spec", SPECS, ids=[s.code for s in SPECS])
def test_documentation_is_complete(spec: CodemodSpec) -> None:
    doc = document(spec)
    assert doc.missing() == []
    assert doc.description and doc.description != "No description."
    page = doc.markdown()
    for heading in (
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
        "Fix safety",
    ):
        assert f"## {heading}" in page


@pytest.mark.parametrize(
    ("spec", "example"), EXAMPLES, ids=[f"{s.code}-{e.title}" for s, e in EXAMPLES]
)
def test_documented_example_holds(spec: CodemodSpec, example: Example) -> None:
    settings = CASE_SETTINGS.get(
        (spec.code, example.title), Settings(select=(spec.code,))
    )
    result = transform_text(
        example.before, registry.codes(settings), settings, module_name="example"
    )
    expected = example.before if example.after is None else example.after
    assert result.text == expected


@pytest.mark.parametrize("spec", SPECS, ids=[s.code for s in SPECS])
def test_the_cli_lists_and_explains_it(spec: CodemodSpec) -> None:
    doc = document(spec)
    rows = json.loads(invoke("list", "--format", "json").stdout)
    assert {
        "code": spec.code,
        "name": spec.name,
        "description": doc.description,
        "fix_safety": doc.fix_safety,
    } in rows
    listing = invoke("list")
    assert listing.exit_code == 0
    assert any(
        line.split()[:3] == [spec.code, spec.name, doc.fix_safety]
        for line in listing.stdout.splitlines()
    )
    by_code, by_name = invoke("explain", spec.code), invoke("explain", spec.name)
    assert (by_code.exit_code, by_name.exit_code) == (0, 0)
    assert by_code.stdout == by_name.stdout
    assert by_code.stdout.strip() == doc.markdown().strip()
    assert by_code.stdout.startswith(f"# {spec.name} ({spec.code})\n")
    for example in doc.examples:
        assert example.before.strip() in by_code.stdout
        if example.after is not None:
            assert example.after.strip() in by_code.stdout


def test_missing_documentation_is_detected() -> None:
    doc = document(SPECS[0])
    broken = type(doc)(
        code=doc.code,
        name=doc.name,
        description=doc.description,
        fix_safety="maybe",
        summary=doc.summary,
        sections={k: v for k, v in doc.sections.items() if k != "Fix safety"},
        examples=tuple(e for e in doc.examples if e.after is not None),
    )
    assert broken.missing() == [
        "heading 'Fix safety'",
        "an example that must not change",
        "FIX_SAFETY of 'safe' or 'unsafe'",
    ]
