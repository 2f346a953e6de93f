"""One file (or text) as a worker sees it, worked out once for every step: the job,
where the text comes from, its module name, and its ``ast``, parsed once, with what it
says of the job's codemods (``relevance``, then ``elision`` and the stages read it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from codemods.analysis.relevance import Relevance, judge
from codemods.analysis.syntax import Syntax
from codemods.engine.discovery import module_name
from codemods.engine.files import Loaded
from codemods.engine.job import Job
from codemods.engine.per_file import ignored_codes


@dataclass(frozen=True)
class FileContext:
    """One text on its way through a worker, and what every step reads of it: the
    job, where the text comes from, its module name, and its ``ast`` (parsed once) with
    what it says of the job's codemods."""

    job: Job
    text: str
    # How the file is shown (in reports, in its facts), if the text is a file's.
    filename: str | None = None
    module_name: str | None = None
    # The file the text was read from (None: a text given as such).
    source: Loaded | None = None
    syntax: Syntax = field(init=False)
    # What its ``ast`` says of the job's codemods (None: not judged, no prefilter).
    relevance: Relevance | None = field(init=False)

    def __post_init__(self) -> None:
        syntax = Syntax(self.text)
        object.__setattr__(self, "syntax", syntax)
        job = self.job
        relevance = judge(syntax, job.specs, job.settings) if job.prefilter else None
        object.__setattr__(self, "relevance", relevance)

    @property
    def ignored_codes(self) -> frozenset[str]:
        """What ``per-file-ignores`` suppress in the whole text (a text given as such
        is matched by the name it is shown as, e.g. ``--stdin-filename``)."""
        if self.source is not None:
            return ignored_codes(self.job.settings, self.source.path)
        if self.filename is None:
            return frozenset()
        return ignored_codes(self.job.settings, self.filename)

    @classmethod
    def of_file(cls, loaded: Loaded, job: Job) -> FileContext:
        text = loaded.decoded.text
        return cls(job, text, loaded.shown, module_name(loaded.path), loaded)
