"""A file's result in a worker: what its text became, written to disk first when the
run writes and the file changed. Nothing here prints; a failed write becomes the
file's ``FileError``."""

from __future__ import annotations

from codemods.core.diffs import unified_diff
from codemods.core.results import FileError, FileResult
from codemods.engine.worker.context import FileContext
from codemods.engine.worker.stages import Transformed
from codemods.engine.writer import WriteError, write_atomic


def file_result(
    context: FileContext, outcome: Transformed, *, write: bool
) -> FileResult:
    """The result of ``outcome`` for the file of ``context``, written to disk first
    when ``write`` and changed."""
    loaded = context.source
    assert loaded is not None, "a text given as such has no file to write"
    shown, decoded = loaded.shown, loaded.decoded
    if not outcome.changed:
        return FileResult(shown, findings=outcome.findings)
    want_diff = context.job.want_diff
    diff = unified_diff(decoded.text, outcome.text, shown) if want_diff else None
    result = FileResult(
        shown,
        changed=True,
        findings=outcome.findings,
        diff=diff,
        changed_by=outcome.changed_by,
    )
    if not write:
        return result
    try:
        write_atomic(
            loaded.path,
            decoded.encode(outcome.text),
            expected=loaded.stat,
            place=loaded.place,
        )
    except UnicodeEncodeError as exc:
        message = f"new text cannot be encoded as {decoded.encoding}: {exc.reason}"
        return FileResult(
            shown, findings=outcome.findings, error=FileError("write", message)
        )
    except WriteError as exc:
        return FileResult(
            shown, findings=outcome.findings, error=FileError("write", str(exc))
        )
    return FileResult(
        shown,
        changed=True,
        findings=outcome.findings,
        diff=diff,
        changed_by=outcome.changed_by,
        written=True,
    )
