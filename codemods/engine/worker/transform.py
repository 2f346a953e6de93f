"""Text through the selected codemods: parse once, run them in order, keep what no
codemod touched byte for byte.

LibCST is given the text with the function bodies no codemod that may run could touch
elided (``elision``); findings, facts and the new text come back in the whole text's
terms, and a result that touches an elided function is made again from the whole text.

Raises instead of returning errors: ``SourceError`` when the text does not parse,
``TransformError`` when a codemod fails or produces text that does not parse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from codemods.analysis.relevance import Relevance, judge
from codemods.config import Settings
from codemods.engine.worker import elision
from codemods.core.source import SourceError, syntax_error
from codemods.engine.worker.stages import (
    Transformed,
    TransformError,
    Unplanned,
    check_parses,
    local_index,
    moved,
    run_stages,
)
from codemods.rules import registry

if TYPE_CHECKING:
    import libcst as cst

    from codemods.analysis.facts import ModuleFacts
    from codemods.analysis.index import ProjectIndex

__all__ = [
    "Parsed",
    "TransformError",
    "Transformed",
    "module_facts",
    "parse_for",
    "parse_text",
    "transform_module",
    "transform_text",
]


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
    relevance: Relevance | None = None,
) -> Transformed:
    """Parse ``text`` once and run the codemods ``codes`` over it, in registry order.

    Without an ``index``, codemods that ask one get the module's own (a local index).
    Raises ``SourceError`` when the text does not parse and ``TransformError`` when a
    codemod fails or its output does not parse.
    """
    if only_triggered and relevance is None:
        relevance = judge(text, codes, settings)
    facts = index is None and any(
        spec.uses_index for spec in registry.CODEMODS if spec.code in codes
    )
    return transform_module(
        parse_for(text, codes, settings, relevance=relevance, facts=facts),
        codes,
        settings,
        module_name=module_name,
        index=index,
        safe_only=safe_only,
        filename=filename,
        only_triggered=only_triggered,
        relevance=relevance,
    )


def parse_text(text: str) -> cst.Module:
    """The LibCST tree of ``text``; ``SourceError`` if it does not parse."""
    import libcst as cst

    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = exc.message.splitlines()[0] if exc.message else "syntax error"
        raise syntax_error(text, message, exc.raw_line, exc.raw_column + 1) from None
    except RecursionError:
        raise SourceError("parse", "too deeply nested for LibCST to parse") from None


def parse_for(
    text: str,
    codes: Sequence[str],
    settings: Settings,
    *,
    relevance: Relevance | None,
    facts: bool,
) -> Parsed:
    """``text`` parsed for the codemods ``codes`` (and the facts, with ``facts``):
    elided where ``relevance`` shows bodies none of them could touch."""
    wanted = elision.plan(codes, settings, text, relevance, facts=facts)
    elided = None if wanted is None else elision.elide(text, wanted)
    if elided is not None:
        try:
            return Parsed(text, parse_text(elided.text), elided, wanted)
        except SourceError:
            pass  # the whole text's own error is the one to report
    return Parsed(text, parse_text(text))


def transform_module(
    parsed: Parsed,
    codes: Sequence[str],
    settings: Settings,
    *,
    module_name: str | None = None,
    index: ProjectIndex | None = None,
    safe_only: bool = False,
    filename: str | None = None,
    only_triggered: bool = True,
    relevance: Relevance | None = None,
) -> Transformed:
    """Run the codemods ``codes`` over the already ``parsed`` text (whose tree stays
    untouched, so a kept tree can be transformed again with a fuller index); see
    ``stages.run_stages``."""
    stages = partial(
        run_stages,
        codes=codes,
        settings=settings,
        module_name=module_name,
        index=index,
        safe_only=safe_only,
        filename=filename,
        only_triggered=only_triggered,
        relevance=relevance,
    )
    elided, plan = parsed.elided, parsed.plan
    if elided is not None and plan is not None:
        asked = _Asked(index)
        try:
            outcome = stages(
                parsed.module,
                elided.text,
                planned=plan.planned,
                line_of=elided.whole_line,
            )
            whole = _in_whole(outcome, parsed.text, elided)
            if whole is not None:
                return whole
        except (Unplanned, TransformError):
            pass  # made again from the whole text, which says what went wrong
        asked.forget()
        parsed = parsed.whole
    return stages(parsed.module, parsed.text)


def module_facts(
    parsed: Parsed, settings: Settings, module_name: str | None, filename: str | None
) -> ModuleFacts:
    """The facts of an already parsed text, without running any codemod (a file
    another shard reports, scanned for the project index only)."""
    from libcst.metadata import MetadataWrapper

    wrapper = MetadataWrapper(parsed.module, unsafe_skip_copy=True)
    elided = parsed.elided
    text = parsed.text if elided is None else elided.text
    line_of = None if elided is None else elided.whole_line
    facts, _ = local_index(wrapper, text, settings, module_name, filename, line_of)
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
    outcome: Transformed, whole: str, elided: elision.Elided
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
    check_parses(whole, text, outcome.changed_by)
    return replace(outcome, text=text, findings=findings)
