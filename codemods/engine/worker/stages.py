"""Codemods run in order over one parsed text, each on the tree the one before left.

Raises instead of returning errors: ``TransformError`` when a codemod fails or its new
text does not parse; ``Unplanned`` when a codemod that the text was not elided for
would run (the caller then starts over with the whole text).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper

from codemods.analysis.collect import collect_facts
from codemods.analysis.facts import ModuleFacts
from codemods.analysis.index import ProjectIndex, Query
from codemods.analysis.relevance import Relevance, judge
from codemods.analysis.syntax import Syntax
from codemods.core.noqa import NoqaMap
from codemods.core.results import Finding
from codemods.core.source import LineMap, compile_error, preserve, spelled_as_read
from codemods.cst.qualified import NameWrapper
from codemods.engine.worker.context import FileContext
from codemods.rules.codemod import Environment, codemod_class, run_codemod
from codemods.rules.specs import CodemodSpec


@dataclass(frozen=True)
class Transformed:
    """The result of running codemods over one text."""

    text: str
    findings: tuple[Finding, ...]
    changed_by: tuple[str, ...]
    # With a local index (none given): the module's facts, and the questions the
    # codemods asked of the index with their answers.
    facts: ModuleFacts | None = None
    queries: tuple[Query, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changed_by)


class TransformError(Exception):
    """A codemod failed or produced text that does not parse; names the codemod."""

    kind = "internal"

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class CompileError(TransformError):
    """The codemods' new text would not compile for the project's Python."""

    kind = "compile"


class Unplanned(Exception):
    """A codemod would run that the elided text it was given was not made for."""


def run_stages(
    context: FileContext,
    original: cst.Module,
    text: str,
    *,
    index: ProjectIndex | None = None,
    planned: Collection[str] | None = None,
    line_of: Callable[[int], int] | None = None,
) -> Transformed:
    """Run the job's codemods over ``text`` (the text of ``context``, or its elided
    form), parsed as ``original`` (which stays untouched, so a kept tree can be
    transformed again with a fuller index).

    With the prefilter, a codemod that could not apply is not run: one that the
    context's relevance (what the text's ``ast`` says) rules out, even given any
    answers of the project index; once an earlier codemod changed the text, what the
    new text's ``ast`` says decides. And a codemod that runs skips the functions whose
    lines spell none of its words (``Codemod.spells``). ``planned``: the codemods an
    elided ``text`` was made for (``Unplanned`` for any other), and ``line_of`` its
    lines in the whole text's, for the facts."""
    job = context.job
    settings, only_triggered = job.settings, job.prefilter
    relevance = context.relevance
    module = original
    stage_text = text
    back_to_original: list[LineMap] = []
    findings: list[Finding] = []
    changed_by: list[str] = []
    wrapper = wrap(context, module, text)
    facts = None
    if index is None and job.uses_index:
        facts, index = local_index(context, wrapper, text, line_of)
    # One noqa map of the original text, asked through each stage's line maps: it
    # learns which directives suppressed something (TG100 reports the others).
    noqa = NoqaMap.of(text, context.ignored_codes)
    for spec in job.specs:
        if only_triggered and not _triggered(spec, relevance):
            # Selected and certain to find nothing: it counts as run (for TG100).
            noqa.stage(spec.code, back_to_original)
            continue
        if planned is not None and spec.code not in planned:
            raise Unplanned(spec.code)
        environment = Environment(
            settings,
            noqa=noqa.stage(spec.code, back_to_original),
            module_name=context.module_name,
            index=index,
            safe_only=job.safe_only,
            # With the text, a codemod skips the functions that spell none of its
            # words; without it (nothing skipped), every node is visited.
            text=spelled_as_read(stage_text) if only_triggered else None,
        )
        try:
            updated = run_codemod(
                codemod_class(spec), wrapper, environment, context.filename
            )
        except RecursionError:
            raise TransformError(f"{spec.code} gave up: too deeply nested") from None
        except Exception as exc:
            raise TransformError(
                f"internal error in {spec.code} ({spec.name}): "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        findings.extend(_to_original(environment.findings, back_to_original))
        if environment.fixes_applied == 0 or updated.deep_equals(module):
            continue
        changed_by.append(spec.code)
        new_text = updated.code
        back_to_original.insert(0, LineMap(stage_text, new_text))
        module, stage_text = updated, new_text
        syntax = Syntax(stage_text)
        wrapper = NameWrapper(module, syntax.tree, stage_text, syntax.tree)
        if only_triggered:
            # What the new text's `ast` says now decides for the codemods after it.
            relevance = judge(syntax, job.specs, settings)

    queries = () if facts is None or index is None else tuple(index.log or ())
    if not changed_by:
        return Transformed(text, tuple(findings), (), facts, queries)
    final = preserve(text, original.code, stage_text)
    check_compiles(text, final, changed_by, settings.target_version)
    return Transformed(
        final, tuple(sorted(findings, key=_order)), tuple(changed_by), facts, queries
    )


def wrap(context: FileContext, module: cst.Module, text: str) -> NameWrapper:
    """The wrapper of ``module``, parsed from ``text``: the text of ``context`` or its
    elided form, whose lines the `ast` of the whole text counts only when they are
    the same (else ``text``'s own `ast` is parsed if lines are asked)."""
    whole = context.syntax
    # The whole text's `ast` binds every name its elided form does.
    same = whole.tree if text is whole.text or text == whole.text else None
    return NameWrapper(module, whole.tree, text, same)


def _triggered(spec: CodemodSpec, relevance: Relevance | None) -> bool:
    """Whether a codemod may act on the text ``relevance`` judged (not judged: yes)."""
    if relevance is None:
        return True
    wanted = relevance.reachable if spec.uses_index else relevance.codes
    return spec.code in wanted


def local_index(
    context: FileContext,
    wrapper: MetadataWrapper,
    text: str,
    line_of: Callable[[int], int] | None = None,
) -> tuple[ModuleFacts, ProjectIndex]:
    """The module's facts, and a recording index of them alone (on the wrapper the
    first codemod reuses, so scope analysis runs once); ``text`` is the text of
    ``context`` or its elided form, whose lines ``line_of`` tells in the whole text's."""
    job, filename = context.job, context.filename
    facts = collect_facts(
        wrapper,
        module_name=context.module_name or "__main__",
        settings=job.settings,
        noqa=NoqaMap.of(text, context.ignored_codes),
        path=filename or "",
        is_package=filename is not None and Path(filename).name == "__init__.py",
        text=text,
        gains=job.gains,
        whole=context.syntax,
    )
    if line_of is not None:
        facts = facts.relined(line_of)
    return facts, ProjectIndex.build([facts], job.index_scope, record=True)


def _to_original(findings: Sequence[Finding], maps: Sequence[LineMap]) -> list[Finding]:
    if not maps:
        return list(findings)
    # A block an earlier codemod wrote carries one original line twice (a fallback's
    # two branches): a finding on both is one finding on the original line.
    mapped: dict[Finding, None] = {}
    for finding in findings:
        line, col = finding.line, finding.col
        for line_map in maps:
            line, col = line_map.place(line, col)
        mapped[moved(finding, line, col)] = None
    return list(mapped)


def moved(finding: Finding, line: int, col: int | None = None) -> Finding:
    col = finding.col if col is None else col
    if (line, col) == (finding.line, finding.col):
        return finding
    return Finding(
        finding.rule,
        line,
        col,
        finding.message,
        finding.fixable,
        finding.applicability,
        finding.group,
    )


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.line, finding.col, finding.rule


def check_compiles(
    before: str, after: str, changed_by: Sequence[str], target: tuple[int, int] | None
) -> None:
    """The new text must compile for the project's Python (``target``) whenever the
    old one did, and for the running Python whenever the old one did: else a
    ``CompileError`` for the file, which is then neither written nor passed. It is
    placed on the old text's line that the failing new line replaced."""
    for version in (target, None) if target is not None else (None,):
        problem = compile_error(after, version)
        if problem is None:
            return  # a newer grammar accepts what an older one does
        if compile_error(before, version) is not None:
            continue
        python = "" if version is None else " on Python " + ".".join(map(str, version))
        new_line = problem.lineno or 1
        line = LineMap(before, after)(new_line)
        where = "" if line == new_line else f" at line {new_line} of the new text"
        raise CompileError(
            f"the text {', '.join(changed_by)} rewrote would not compile{python}"
            f" ({problem.msg}){where}; file left unchanged",
            line,
            (problem.offset or 1) if line == new_line else 1,
        )
