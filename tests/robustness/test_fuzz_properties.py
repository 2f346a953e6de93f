"""Generated programs through each codemod alone and all of them together (issue 7.1).

Each codemod of the registry alone, through ``transform_text``, and all of them together,
through ``process_file`` writing the file (with the trigger prefilter off, so that every
file is really parsed; a BOM on every third one):

- nothing escapes but a parse or decode error (``SourceError``); a ``TransformError`` (a
  codemod crashed, or its output does not parse) fails the test;
- a changed text parses (LibCST, and CPython whenever the input did), keeps its BOM, its
  kinds of line ending and final newline, and every line with a bare ``# noqa``; a second
  run changes nothing; every finding points at a line of the original text;
- a text without any of the configuration's trigger words comes back byte-identical,
  and so does any text nothing changed.

Examples are checked in-process (``check_nesting`` first, as the pipeline does), in a thread
with the workers' stack size and recursion limit. 500 examples per strategy by default;
``-m stress`` runs 20 times more.
"""

from __future__ import annotations

import ast
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from codemods.config import Settings
from codemods.engine.pipeline import Job, TransformError, process_file, transform_text
from codemods.engine.results import Finding
from codemods.engine.source import SourceError, check_nesting, split_lines
from codemods.transforms import registry
from tests.robustness import programs
from tests.robustness.helpers import with_big_stack

EXAMPLES = 500
STRESS = 20
# Codemods the templates are known to exercise: each must change some template program.
EXERCISED = ("TG001", "TG003")


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


SINGLE = [_config(spec.code, (spec.code,)) for spec in registry.CODEMODS]
ALL = _config("all", ("ALL",))


def _parses_as_before(source: str, text: str) -> None:
    """``text`` parses with LibCST, and with CPython whenever ``source`` did."""
    cst.parse_module(text)
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return
    ast.parse(text)


_ENDINGS = re.compile(r"\r\n|\r|\n")
_BARE_NOQA = re.compile(r"#\s*noqa\s*$")


def _keeps_layout(source: str, text: str) -> None:
    """No new kind of line ending, the final one kept, every `# noqa` line untouched."""
    endings = set(_ENDINGS.findall(source))
    if endings:
        assert set(_ENDINGS.findall(text)) <= endings, "line endings changed"
    assert text.endswith(("\n", "\r")) == source.endswith(("\n", "\r"))
    kept = {line.strip() for line in split_lines(text)}
    for line in split_lines(source):
        if _BARE_NOQA.search(line):
            assert line.strip() in kept, f"a line with `# noqa` changed: {line!r}"


def _check_findings(source: str, findings: Sequence[Finding]) -> None:
    lines = max(1, len(split_lines(source)))
    for finding in findings:
        assert 1 <= finding.line <= lines and finding.col >= 1, finding


def _has_trigger(source: str, config: Config) -> bool:
    raw = source.encode()
    return any(word in raw for word in config.triggers)


def _check_alone(source: str, config: Config, stats: Counter[str]) -> None:
    """One codemod alone, through ``transform_text``."""
    try:
        outcome = transform_text(
            source, config.codes, config.settings, module_name="example"
        )
    except SourceError:
        return
    except TransformError as exc:
        pytest.fail(f"{config.name}: TransformError: {exc.message}")
    _check_findings(source, outcome.findings)
    if not outcome.changed:
        assert outcome.text == source
        return
    assert _has_trigger(source, config), f"{config.name} changed a trigger-free text"
    stats[f"changed by {config.name}"] += 1
    event(f"changed by {config.name}")
    _parses_as_before(source, outcome.text)
    _keeps_layout(source, outcome.text)
    again = transform_text(
        outcome.text, config.codes, config.settings, module_name="example"
    )
    assert not again.changed, f"{config.name}: a second run changed it again"


def _check_together(source: str, bom: bool, path: Path, stats: Counter[str]) -> None:
    """All codemods, through ``process_file`` writing the file (trigger prefilter off)."""
    raw = (b"\xef\xbb\xbf" if bom else b"") + source.encode()
    path.write_bytes(raw)
    job = Job(ALL.settings, want_diff=True, write=True, prefilter=False)
    result = process_file(path, path.name, job)
    on_disk = path.read_bytes()
    if result.error is not None:
        assert result.error.kind in ("parse", "decode"), result.error
        assert on_disk == raw
        stats["does not parse"] += 1
        event("does not parse")
        return
    _check_findings(source, result.findings)
    if not result.changed:
        assert on_disk == raw and not result.written
        return
    assert _has_trigger(source, ALL), "a trigger-free text was changed"
    stats["changed by all"] += 1
    event("changed by all")
    assert result.written and result.diff
    assert on_disk.startswith(b"\xef\xbb\xbf") == bom
    new_text = on_disk.decode("utf-8-sig" if bom else "utf-8")
    _parses_as_before(source, new_text)
    _keeps_layout(source, new_text)
    again = process_file(path, path.name, job)
    assert again.error is None and not again.changed, "a second run changed it again"
    assert path.read_bytes() == on_disk


def check_program(source: str, path: Path, stats: Counter[str]) -> None:
    try:
        raw = source.encode("utf-8")
        check_nesting(raw)
    except (UnicodeEncodeError, SourceError):
        event("rejected before parsing")
        return
    stats["examples"] += 1
    for config in SINGLE:
        _check_alone(source, config, stats)
    _check_together(source, zlib.crc32(raw) % 3 == 0, path, stats)


def _run(strategy: st.SearchStrategy[str], examples: int, folder: Path) -> Counter[str]:
    stats: Counter[str] = Counter()
    path = folder / "example.py"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(strategy)
    def test(source: str) -> None:
        check_program(source, path, stats)

    with_big_stack(test)
    return stats


pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
SCALES = [
    pytest.param(1, id="ci"),
    pytest.param(STRESS, id="stress", marks=pytest.mark.stress),
]


@pytest.mark.parametrize("scale", SCALES)
def test_raw_programs(scale: int, tmp_path: Path) -> None:
    stats = _run(programs.raw, EXAMPLES * scale, tmp_path)
    assert stats["examples"] >= EXAMPLES * scale // 2, stats


@pytest.mark.parametrize("scale", SCALES)
def test_legacy_templates(scale: int, tmp_path: Path) -> None:
    stats = _run(programs.templates(), EXAMPLES * scale, tmp_path)
    parsed = stats["examples"] - stats["does not parse"]
    assert parsed >= EXAMPLES * scale // 2, stats
    assert stats["changed by all"] >= parsed // 10, f"templates rarely change: {stats}"
    for code in EXERCISED:
        if registry.find(code) is not None:
            assert stats[f"changed by {code}"] > 0, f"no template exercises {code}"
