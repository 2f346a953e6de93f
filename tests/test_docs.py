"""Each codemod documents itself, and its documented examples are true."""

from __future__ import annotations

import pytest

from codemods.config import Settings
from codemods.engine.pipeline import transform_text
from codemods.transforms import registry
from codemods.transforms._base import Example
from codemods.transforms.docs import document

SPECS = registry.CODEMODS
EXAMPLES = [(spec, example) for spec in SPECS for example in spec.load().EXAMPLES]


@pytest.mark.parametrize("spec", SPECS, ids=[s.code for s in SPECS])
def test_documentation_is_complete(spec: registry.CodemodSpec) -> None:
    doc = document(spec)
    assert doc.missing() == []
    assert doc.description and doc.description != "No description."
    page = doc.markdown()
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
                    "## Fix safety"):
        assert heading in page


@pytest.mark.parametrize(
    ("spec", "example"), EXAMPLES, ids=[f"{s.code}-{e.title}" for s, e in EXAMPLES]
)
def test_documented_example_holds(spec: registry.CodemodSpec, example: Example) -> None:
    settings = Settings(select=(spec.code,))
    result = transform_text(example.before, (spec.code,), settings, module_name="example")
    expected = example.before if example.after is None else example.after
    assert result.text == expected


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
