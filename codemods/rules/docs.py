"""Each codemod's documentation: the headings of its class's docstring, its spec's
description and fix safety, and the golden cases its spec names as examples. What
``list``, ``explain`` and SARIF's rule descriptions are rendered from."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from codemods.rules import registry
from codemods.rules.cases import case_named
from codemods.rules.codemod import codemod_class
from codemods.rules.specs import CodemodSpec

HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")

_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """A golden case shown as an example: ``after`` is None when the codemod must
    leave ``before`` alone."""

    title: str
    before: str
    after: str | None


@dataclass(frozen=True)
class CodemodDoc:
    code: str
    name: str
    description: str
    fix_safety: str
    summary: str
    sections: dict[str, str]
    examples: tuple[Example, ...]

    def missing(self) -> list[str]:
        """What the documentation lacks (a test requires this to be empty)."""
        wanted = [h for h in HEADINGS if h not in ("Example", "Use instead")]
        missing = [f"heading '{h}'" for h in wanted if not self.sections.get(h)]
        if not any(e.after is not None for e in self.examples):
            missing.append("an example with a fix (Example / Use instead)")
        if not any(e.after is None for e in self.examples):
            missing.append("an example that must not change")
        if self.fix_safety not in ("safe", "unsafe"):
            missing.append("FIX_SAFETY of 'safe' or 'unsafe'")
        return missing

    def markdown(self) -> str:
        """The whole page, Ruff-rule style."""
        parts = [f"# {self.name} ({self.code})", "", self.summary, ""]
        for heading in ("What it does", "Why is this bad?"):
            parts += [f"## {heading}", self.sections.get(heading, ""), ""]
        fixed = [e for e in self.examples if e.after is not None]
        if fixed:
            parts += ["## Example", "```python", fixed[0].before.rstrip(), "```", ""]
            parts += [
                "## Use instead",
                "```python",
                str(fixed[0].after).rstrip(),
                "```",
                "",
            ]
        for example in self.examples:
            if example.after is None:
                parts += [f"Left alone: {example.title}", "```python"]
                parts += [example.before.rstrip(), "```", ""]
        parts += [
            "## Fix safety",
            f"**{self.fix_safety}**. {self.sections.get('Fix safety', '')}",
        ]
        return "\n".join(parts).rstrip() + "\n"


def document(spec: CodemodSpec) -> CodemodDoc:
    cls = codemod_class(spec)
    doc = inspect.getdoc(cls) or ""
    pieces = _HEADING.split(doc)
    summary = pieces[0].strip()
    sections = {
        pieces[i].strip(): pieces[i + 1].strip() for i in range(1, len(pieces) - 1, 2)
    }
    return CodemodDoc(
        code=spec.code,
        name=spec.name,
        description=spec.description,
        fix_safety=spec.fix_safety,
        summary=summary,
        sections=sections,
        examples=tuple(example(spec, name) for name in spec.examples),
    )


def example(spec: CodemodSpec, name: str) -> Example:
    """The golden case ``name`` of ``spec``, as an example."""
    case = case_named(spec, name)
    after = None if case.after is None else case.after.read_text(encoding="utf-8")
    return Example(case.title, case.before.read_text(encoding="utf-8"), after)


def all_docs() -> list[CodemodDoc]:
    return [document(spec) for spec in registry.CODEMODS]
