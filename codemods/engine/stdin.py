"""``codemods check -`` and ``run -``: one text read from stdin, named by
``--stdin-filename``, as editors and formatter pipelines hand it over.

The text is checked alone: the codemods that need the project index (a lifecycle
method made async changes its callers in other files) are not run on it, and a note
says so, since a change whose effect on other files cannot be known is never made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from codemods.core.diffs import unified_diff
from codemods.core.results import FileError, FileResult, Skipped, Summary
from codemods.core.settings import Settings
from codemods.core.source import SourceError, decode
from codemods.engine.discovery import display, module_name
from codemods.engine.per_file import excluded
from codemods.engine.worker.stages import TransformError
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry

STDIN_NAME = "-"


def process(
    raw: bytes,
    filename: str | None,
    settings: Settings,
    *,
    mode: Literal["check", "run"],
    safe_only: bool,
) -> tuple[Summary, str | None]:
    """The run's summary for the text ``raw``, and its new text (None: an error)."""
    shown = STDIN_NAME if filename is None else display(Path(filename))
    specs = registry.selected(settings)
    cross_file = [spec.code for spec in specs if spec.uses_index]
    skipped = [
        Skipped(shown, f"{', '.join(cross_file)}: need the whole project, not run")
        for _ in cross_file[:1]
    ]
    if filename is not None and settings.force_exclude and excluded(settings, filename):
        skipped = [Skipped(shown, "excluded (force-exclude)")]
        return Summary.of((), mode=mode, skipped=skipped), None
    codes = [spec.code for spec in specs if not spec.uses_index]
    try:
        decoded = decode(raw)
        outcome = transform_text(
            decoded.text,
            codes,
            settings,
            module_name=None if filename is None else module_name(Path(filename)),
            safe_only=safe_only,
            filename=shown,
        )
    except (SourceError, TransformError) as exc:
        error = FileError(exc.kind, exc.message, exc.line, exc.col)
        result = FileResult(shown, error=error)
        return Summary.of((result,), mode=mode, skipped=skipped), None
    result = FileResult(
        shown,
        changed=outcome.changed,
        findings=outcome.findings,
        diff=unified_diff(decoded.text, outcome.text, shown)
        if outcome.changed
        else None,
        changed_by=outcome.changed_by,
    )
    return Summary.of((result,), mode=mode, skipped=skipped), outcome.text
