"""Golden cases as tests, and the helper every codemod's test module runs code through.

The cases live next to their codemod (``codemods/rules/<name>/cases/``; the format is
``codemods/rules/cases.py``'s). Each states its text before and after and the findings
the codemod reports on it; ``check_file_case`` and ``check_tree_case`` hold a case to
all of it, and to a second run changing nothing. ``run`` is the one way the test
modules run a codemod over a snippet.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from codemods import config
from codemods.core.results import FileResult, Finding
from codemods.core.settings import Settings
from codemods.engine.parent import runner
from codemods.engine.worker.stages import Transformed
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
from codemods.rules.cases import Case, Expected, cases_of

REPO = Path(__file__).resolve().parents[2]


def cases_folder(code: str) -> Path:
    """The folder holding the golden cases of the codemod ``code``."""
    spec = registry.find(code)
    assert spec is not None, f"no codemod {code}"
    return spec.cases


class _Cases:
    """``CASES / "TG002"``: the cases folder of a codemod, by its code."""

    def __truediv__(self, code: str) -> Path:
        return cases_folder(code)


CASES = _Cases()


def settings_for(code: str, table: Mapping[str, Any] | None = None) -> Settings:
    """The settings of a ``[tool.codemods]`` ``table`` selecting ``code`` by default."""
    chosen: dict[str, Any] = {"select": [code], **(table or {})}
    return config.parse_table(chosen, source="test")


def run(
    code: str,
    source: str,
    *,
    options: Mapping[str, Any] | None = None,
    table: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
    module_name: str = "m",
    safe_only: bool = False,
) -> Transformed:
    """The codemod ``code`` (with ``options``, or the codemods a ``[tool.codemods]``
    ``table`` or ``settings`` select) over ``source``, dedented."""
    if settings is None:
        chosen = dict(table or {})
        if options:
            chosen[code] = dict(options)
        settings = settings_for(code, chosen)
    return transform_text(
        textwrap.dedent(source),
        registry.codes(settings),
        settings,
        module_name=module_name,
        safe_only=safe_only,
    )


@dataclass(frozen=True)
class FileCase:
    """A ``<case>.before.py`` (+ ``.after.py``) case, with its settings."""

    case: Case
    settings: Settings

    @property
    def code(self) -> str:
        return self.case.code

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def before(self) -> Path:
        return self.case.before

    @property
    def after(self) -> Path | None:
        return self.case.after


@dataclass(frozen=True)
class TreeCase:
    """A ``<case>/before/`` (+ ``after/``) case: a tree whose changes cross files."""

    case: Case

    @property
    def code(self) -> str:
        return self.case.code

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def root(self) -> Path:
        return self.case.root


def _cases() -> list[Case]:
    return [case for spec in registry.CODEMODS for case in cases_of(spec)]


def file_cases() -> list[FileCase]:
    return [
        FileCase(case, settings_for(case.code, case.configuration))
        for case in _cases()
        if not case.is_tree
    ]


def tree_cases() -> list[TreeCase]:
    return [TreeCase(case) for case in _cases() if case.is_tree]


def tree_settings(case: TreeCase) -> Settings:
    return settings_for(case.code, case.case.configuration)


def expected(findings: Iterable[Finding], path: str | None = None) -> list[Expected]:
    """``findings`` as a case states them, in order of position."""
    stated = [Expected(f.rule, f.line, f.col, f.fixable, path) for f in findings]
    return sorted(stated, key=lambda e: (e.path or "", e.line, e.col, e.code))


def stated(case: Case) -> list[Expected]:
    findings = case.findings
    assert findings is not None, f"{case.id}: its .toml states no `findings`"
    return sorted(findings, key=lambda e: (e.path or "", e.line, e.col, e.code))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def check_file_case(case: FileCase) -> None:
    """Before -> after byte for byte (none: unchanged), the findings it states, and
    a second run that changes nothing."""
    before = _read(case.before)
    wanted = before if case.after is None else _read(case.after)
    codes = registry.codes(case.settings)
    first = transform_text(before, codes, case.settings, module_name="case")
    assert first.text == wanted
    assert first.changed == (case.after is not None and wanted != before)
    assert expected(first.findings) == stated(case.case)
    second = transform_text(first.text, codes, case.settings, module_name="case")
    assert second.text == first.text, "a second run changed the output (not idempotent)"
    assert not second.changed


def run_tree(case: TreeCase, work: Path) -> list[FileResult]:
    """The codemods of ``case`` over a copy of its ``before/`` tree at ``work``,
    writing; the results."""
    shutil.copytree(case.root / "before", work)
    settings = replace(tree_settings(case), root=str(work))
    request = runner.Request((work,), settings, mode="run", write=True, jobs=2)
    return list(runner.run(request).results)


def run_table(
    work: Path, table: Mapping[str, Any], *, write: bool = False
) -> list[FileResult]:
    """The codemods the ``[tool.codemods]`` table ``table`` selects over the tree
    ``work``, in one process: checking, or writing; the results."""
    settings = replace(config.parse_table(table, source="test"), root=str(work))
    mode: Literal["check", "run"] = "run" if write else "check"
    request = runner.Request((work,), settings, mode=mode, write=write, jobs=1)
    return list(runner.run(request).results)


def tree_findings(results: Iterable[FileResult], work: Path) -> list[Expected]:
    found: list[Expected] = []
    for result in results:
        relative = Path(result.path).resolve().relative_to(work.resolve()).as_posix()
        found += expected(result.findings, relative)
    return sorted(found, key=lambda e: (e.path or "", e.line, e.col, e.code))


def check_tree_case(case: TreeCase, tmp_path: Path) -> None:
    """Every file of the tree as ``after/`` has it (or as it was), the findings the
    case states, and a second run that changes nothing."""
    work = tmp_path / "tree"
    results = run_tree(case, work)
    for before in sorted((case.root / "before").rglob("*.py")):
        relative = before.relative_to(case.root / "before")
        after = case.root / "after" / relative
        wanted = after if after.exists() else before
        assert (work / relative).read_bytes() == wanted.read_bytes(), relative
    assert tree_findings(results, work) == stated(case.case)
    settings = replace(tree_settings(case), root=str(work))
    again = runner.run(runner.Request((work,), settings, mode="check", jobs=2))
    assert again.files_changed == 0, "a second run would change files (not idempotent)"
