"""Text through the selected codemods: parse once, run them in order, keep what no
codemod touched byte for byte.

LibCST is given the text with the function bodies no codemod that may run could touch
elided (``elision``); findings, facts and the new text come back in the whole text's
terms, and a result that touches an elided function is made again from the whole text.

Raises instead of returning errors: ``SourceError`` when the text does not parse,
``TransformError`` when a codemod fails or produces text that does not parse.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import libcst as cst

from codemods.analysis.facts import ModuleFacts
from codemods.analysis.index import ProjectIndex
from codemods.core.settings import Settings
from codemods.core.source import SourceError, syntax_error
from codemods.cst.walk import visit
from codemods.engine.job import Job
from codemods.engine.worker import elision
from codemods.engine.worker.context import FileContext
from codemods.engine.worker.stages import (
    Transformed,
    TransformError,
    Unplanned,
    check_compiles,
    local_index,
    moved,
    run_stages,
    wrap,
)


@dataclass(frozen=True)
class Parsed:
    """A text, and LibCST's tree of it: of all of it, or of its elided form."""

    text: str
    module: cst.Module
    elided: elision.Elided | None = None
    plan: elision.Plan | None = None

    @property
    def whole(self) -> Parsed:
        """The same text parsed whole."""
        return self if self.elided is None else Parsed(self.text, parse_text(self.text))


def transform_text(
    text: str,
    codes: Sequence[str],
    settings: Settings,
    *,
    module_name: str | None = None,
    index: ProjectIndex | None = None,
    safe_only: bool = False,
    filename: str | None = None,
    only_triggered: bool = True,
) -> Transformed:
    """Parse ``text`` once and run the codemods ``codes`` over it, in registry order:
    what a worker does with a file's text, for a text given as such.

    Without an ``index``, codemods that ask one get the module's own (a local index).
    ``only_triggered`` False runs every codemod over every function (no prefilter, no
    elision). Raises ``SourceError`` when the text does not parse and
    ``TransformError`` when a codemod fails or its output does not parse.
    """
    job = Job(
        settings, safe_only=safe_only, prefilter=only_triggered, only=tuple(codes)
    )
    context = FileContext(job, text, filename, module_name)
    facts = index is None and job.uses_index
    return transform_module(
        context, parse_for(context, codes=job.codes, facts=facts), index
    )


def parse_text(text: str) -> cst.Module:
    """The LibCST tree of ``text``, its identifiers as CPython reads them (NFKC);
    ``SourceError`` if it does not parse."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = exc.message.splitlines()[0] if exc.message else "syntax error"
        raise syntax_error(text, message, exc.raw_line, exc.raw_column + 1) from None
    except RecursionError:
        raise SourceError("parse", "too deeply nested for LibCST to parse") from None
    if text.isascii():
        return module
    # The codemods then match `asyncio.\uff43reate_task` (a full-width c), which CPython
    # runs as `create_task`; lines no codemod changes keep their spelling (``preserve``).
    return visit(module, _NormalisedNames())


class _NormalisedNames(cst.CSTTransformer):
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        value = unicodedata.normalize("NFKC", updated_node.value)
        if value == updated_node.value:
            return updated_node
        return updated_node.with_changes(value=value)


def parse_for(context: FileContext, *, codes: Sequence[str], facts: bool) -> Parsed:
    """The text of ``context`` parsed for the codemods ``codes`` (and the facts, with
    ``facts``): elided where its relevance shows bodies none of them could touch."""
    text, settings = context.text, context.job.settings
    wanted = elision.plan(codes, settings, text, context.relevance, facts=facts)
    elided = None if wanted is None else elision.elide(context.syntax, wanted)
    if elided is not None:
        try:
            return Parsed(text, parse_text(elided.text), elided, wanted)
        except SourceError:
            pass  # the whole text's own error is the one to report
    return Parsed(text, parse_text(text))


def transform_module(
    context: FileContext, parsed: Parsed, index: ProjectIndex | None
) -> Transformed:
    """Run the job's codemods over the already ``parsed`` text of ``context`` (whose
    tree stays untouched, so a kept tree can be transformed again with a fuller
    index); see ``stages.run_stages``."""
    elided, plan = parsed.elided, parsed.plan
    if elided is not None and plan is not None:
        asked = _Asked(index)
        try:
            outcome = run_stages(
                context,
                parsed.module,
                elided.text,
                index=index,
                planned=plan.planned,
                line_of=elided.whole_line,
            )
            whole = _in_whole(outcome, parsed.text, elided, context.job.settings)
            if whole is not None:
                return whole
        except (Unplanned, TransformError):
            pass  # made again from the whole text, which says what went wrong
        asked.forget()
        parsed = parsed.whole
    return run_stages(context, parsed.module, parsed.text, index=index)


def module_facts(context: FileContext, parsed: Parsed) -> ModuleFacts:
    """The facts of an already parsed text, without running any codemod (a file
    another shard reports, scanned for the project index only)."""
    elided = parsed.elided
    text = parsed.text if elided is None else elided.text
    wrapper = wrap(context, parsed.module, text)
    line_of = None if elided is None else elided.whole_line
    facts, _ = local_index(context, wrapper, text, line_of)
    return facts


class _Asked:
    """The questions an attempt asked of a given index, to forget them when the
    attempt is made again from the whole text."""

    def __init__(self, index: ProjectIndex | None) -> None:
        self.index = index
        self.log = None if index is None or index.log is None else len(index.log)
        self.unresolved = None if index is None else set(index.unresolved)

    def forget(self) -> None:
        if self.index is None:
            return
        if self.log is not None and self.index.log is not None:
            del self.index.log[self.log :]
        if self.unresolved is not None:
            self.index.unresolved = self.unresolved


def _in_whole(
    outcome: Transformed, whole: str, elided: elision.Elided, settings: Settings
) -> Transformed | None:
    """``outcome`` of the elided text told in ``whole``'s terms; None when it touches
    an elided function (a finding in one, a change to one)."""
    if any(elided.inside(finding.line) for finding in outcome.findings):
        return None
    findings = tuple(
        moved(finding, elided.whole_line(finding.line)) for finding in outcome.findings
    )
    if not outcome.changed:
        return replace(outcome, text=whole, findings=findings)
    text = elided.splice(whole, outcome.text)
    if text is None:
        return None
    check_compiles(whole, text, outcome.changed_by, settings.target_version)
    return replace(outcome, text=text, findings=findings)
