"""The properties every program must satisfy, for one codemod alone or all together.

Kept apart from the test module so that a helper process can import it cheaply: the
property test checks some configurations of each example there, the rest in the test
process, at the same time (see ``test_fuzz_properties.py``). Checks raise
``AssertionError`` (picklable, so a failure in the helper reaches Hypothesis as it is)
and return counts of what they saw.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import libcst as cst

from codemods.core.results import FileResult, Finding
from codemods.core.settings import Settings
from codemods.core.source import SourceError, check_nesting, split_lines
from codemods.engine.inline import LazyPool
from codemods.engine.job import Job
from codemods.engine.parent.phases import WORKER, Phases
from codemods.engine.pool import Pool
from codemods.engine.worker.context import FileContext
from codemods.engine.worker.stages import TransformError
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
from tests.robustness.helpers import with_big_stack
from tests.support.pool import InProcessPool


@dataclass(frozen=True)
class Config:
    name: str
    settings: Settings
    codes: tuple[str, ...]
    triggers: tuple[bytes, ...]


def _config(name: str, select: tuple[str, ...]) -> Config:
    chosen = Settings(select=select)
    job = Job(chosen)
    return Config(name, chosen, job.codes, job.triggers)


SINGLE = tuple(_config(spec.code, (spec.code,)) for spec in registry.CODEMODS)
ALL = _config("all", ("ALL",))
_ENDINGS = re.compile(r"\r\n|\r|\n")
_BARE_NOQA = re.compile(r"#\s*noqa\s*$")


def checkable(source: str) -> bool:
    """Whether the pipeline would hand ``source`` to LibCST (UTF-8, not too deep)."""
    try:
        check_nesting(source.encode("utf-8"))
    except (UnicodeEncodeError, SourceError):
        return False
    return True


def parses_as_before(source: str, text: str) -> None:
    """``text`` parses with LibCST, and with CPython whenever ``source`` did."""
    cst.parse_module(text)
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return
    ast.parse(text)


def keeps_layout(source: str, text: str) -> None:
    """No new kind of line ending, the final one kept, every `# noqa` line untouched."""
    endings = set(_ENDINGS.findall(source))
    if endings:
        assert set(_ENDINGS.findall(text)) <= endings, "line endings changed"
    assert text.endswith(("\n", "\r")) == source.endswith(("\n", "\r"))
    kept = {line.strip() for line in split_lines(text)}
    for line in split_lines(source):
        if _BARE_NOQA.search(line):
            assert line.strip() in kept, f"a line with `# noqa` changed: {line!r}"


def check_findings(source: str, findings: Sequence[Finding]) -> None:
    lines = max(1, len(split_lines(source)))
    for finding in findings:
        assert 1 <= finding.line <= lines and finding.col >= 1, finding


def has_trigger(source: str, config: Config) -> bool:
    raw = source.encode()
    return any(word in raw for word in config.triggers)


def check_alone(source: str, config: Config, stats: Counter[str]) -> None:
    """One codemod alone, through ``transform_text``, run whatever its triggers say:
    what it changes or reports, the prefilters (bytes, then ``ast``) must let through,
    and it must change and report the same when it skips the functions that spell
    none of its words.
    """
    try:
        outcome = transform_text(
            source,
            config.codes,
            config.settings,
            module_name="example",
            only_triggered=False,
        )
    except SourceError:
        return
    except TransformError as exc:
        raise AssertionError(f"{config.name}: TransformError: {exc.message}") from None
    if outcome.changed or outcome.findings:
        assert has_trigger(source, config), (
            f"{config.name}: acted on a text without triggers"
        )
        judged = FileContext(Job(config.settings, only=config.codes), source)
        assert judged.relevance is not None and judged.relevance.codes, (
            f"{config.name}: acted on a text its ast prefilter rules out"
        )
        # Nor may the functions a codemod skips for spelling none of its words.
        gated = transform_text(
            source, config.codes, config.settings, module_name="example"
        )
        assert (gated.text, gated.findings) == (outcome.text, outcome.findings), (
            f"{config.name}: the functions it skipped held something"
        )
    check_findings(source, outcome.findings)
    if not outcome.changed:
        assert outcome.text == source, f"{config.name}: unchanged, yet not identical"
        return
    stats[f"changed by {config.name}"] += 1
    parses_as_before(source, outcome.text)
    keeps_layout(source, outcome.text)
    again = transform_text(
        outcome.text, config.codes, config.settings, module_name="example"
    )
    assert not again.changed, f"{config.name}: a second run changed it again"


def run_file(path: Path, job: Job) -> FileResult:
    """What a run does with the one file ``path``: the parent's phases and the
    worker's code, both in this process (the pool's processes aside)."""
    with LazyPool(1, WORKER, job, factory=cast(type[Pool], InProcessPool)) as pool:
        (result,) = Phases(pool, job, None).run([(path, path.name)])
    return result


def check_together(source: str, bom: bool, path: Path, stats: Counter[str]) -> None:
    """All codemods, as a run writing the file does (no prefilter)."""
    raw = (b"\xef\xbb\xbf" if bom else b"") + source.encode()
    path.write_bytes(raw)
    job = Job(ALL.settings, want_diff=True, write=True, prefilter=False)
    result = run_file(path, job)
    on_disk = path.read_bytes()
    if result.error is not None:
        assert result.error.kind in ("parse", "decode"), result.error
        assert on_disk == raw
        stats["does not parse"] += 1
        return
    check_findings(source, result.findings)
    if not result.changed:
        assert on_disk == raw and not result.written
        return
    assert has_trigger(source, ALL), "a trigger-free text was changed"
    stats["changed by all"] += 1
    assert result.written and result.diff
    assert on_disk.startswith(b"\xef\xbb\xbf") == bom
    new_text = on_disk.decode("utf-8-sig" if bom else "utf-8")
    parses_as_before(source, new_text)
    keeps_layout(source, new_text)
    again = run_file(path, job)
    assert again.error is None and not again.changed, "a second run changed it again"
    assert path.read_bytes() == on_disk


def check_alone_many(source: str, names: Sequence[str]) -> Counter[str]:
    """``check_alone`` for the named single-codemod configurations, as the workers
    run files (big stack, high recursion limit); what the helper process runs."""
    stats: Counter[str] = Counter()
    chosen = [config for config in SINGLE if config.name in names]

    def check() -> None:
        for config in chosen:
            check_alone(source, config, stats)

    with_big_stack(check)
    return stats
