"""TG004 bounded-buffer beyond its golden cases: the findings it reports, its options
and names, and the reference application's buffer regions it produces byte for byte."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from codemods.core.settings import ConfigError, Settings
from codemods.engine.worker.stages import Transformed
from codemods.rules import registry
from codemods.rules.bounded_buffer.names import buffer_names
from tests.support.golden import (
    REPO,
    FileCase,
    cases_folder,
    file_cases,
    run,
    settings_for,
)

CASES = {case.name: case for case in file_cases() if case.code == "TG004"}
REFERENCE = REPO / "target_reference" / "resync" / "core" / "encrypted_audit.py"
# What the bundled legacy application's [tool.codemods.TG004] table holds.
BUNDLED_TABLE = {
    "wait-timeout": "self.config.buffer_full_timeout_seconds",
    "warning-interval": "self.config.drop_warning_interval_seconds",
    "wake-at": "self.config.flush_batch_size",
}


def _settings(**options: str) -> Settings:
    return settings_for("TG004", {"TG004": options})


def _run(
    text: str, settings: Settings | None = None, *, safe_only: bool = False
) -> Transformed:
    """TG004 (with ``settings``) over the case text ``text``."""
    return run(
        "TG004", text, settings=settings, module_name="case", safe_only=safe_only
    )


def _case(name: str) -> tuple[FileCase, str]:
    case = CASES[name]
    return case, case.before.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- findings --------------------------------------------------------------------------

REPORTED = [
    ("indexed_buffer", "indexed (line 27)"),
    ("sorted_in_place", "changed with `.sort()` (line 28)"),
    ("passed_elsewhere", "passed to `inspect()` (line 32)"),
    ("aliased_then_changed", "bound to `pending` (line 27), which is then changed"),
    ("no_maxlen", "set `maxlen` under [tool.codemods.TG004]"),
    ("unannotated", "annotate it as `list[T]`"),
    ("changed_outside_class", "appended to from outside the class's methods (line 34)"),
    ("returns_while_writing", "returns or yields while writing its batch"),
    ("cleared_only_if_written", "no flush takes its batch out in a shape TG004 knows"),
]


@pytest.mark.parametrize(("name", "reason"), REPORTED, ids=[n for n, _ in REPORTED])
def test_buffer_with_other_uses_is_reported_not_changed(name: str, reason: str) -> None:
    case, before = _case(name)
    result = _run(before, case.settings)
    assert result.text == before and not result.changed
    [finding] = result.findings
    assert not finding.fixable
    assert finding.message.startswith(
        "`self.pending` is an unbounded buffer, but TG004 "
    )
    assert reason in finding.message
    # Reported where the buffer is declared: one suppression comment there covers it.
    assert finding.line == _line_of(before, "self.pending")


@pytest.mark.parametrize(
    "name",
    [
        "callback_list",
        "components_stopped_then_rebound",
        "written_before_any_await",
        "plain_list",
        "noqa_comment",
        "no_async_with",
    ],
)
def test_nothing_to_report(name: str) -> None:
    case, before = _case(name)
    result = _run(before, case.settings)
    assert result.text == before
    assert result.findings == ()


def test_blocking_io_under_the_lock_is_reported_with_the_shape_seen() -> None:
    case, before = _case("blocking_write_under_lock")
    result = _run(before, case.settings)
    assert result.text == before
    [finding] = result.findings
    assert not finding.fixable
    assert "blocking I/O under `self._lock` (`open()`, line 22)" in finding.message
    assert "(seen: `flush()` writes the buffer itself under `self._lock`, then " in (
        finding.message
    )


SHAPES = [
    ("snapshot_await_clear", "writes a snapshot without a lock, then clears it: "),
    ("snapshot_await_clear_locked", "writes a snapshot under `self._lock`, then "),
    (
        "rebound_after_write",
        "writes the buffer itself under `self._lock`, then rebinds",
    ),
    ("deque_dropping_silently", "already a `deque(maxlen=...)`, which drops silently"),
    ("deque_rebound_after_write", "without a lock, then rebinds it: entries appended"),
    ("already_deque", "already a `deque(maxlen=...)`, which drops silently"),
]


@pytest.mark.parametrize(("name", "seen"), SHAPES, ids=[n for n, _ in SHAPES])
def test_the_finding_says_which_shape_it_saw(name: str, seen: str) -> None:
    case, before = _case(name)
    [finding] = _run(before, case.settings).findings
    assert finding.fixable
    assert seen in finding.message.partition("(seen: ")[2]


def test_a_buffer_whose_appends_cannot_wait_drops_counted() -> None:
    case, before = _case("append_outside_lock")
    [finding] = _run(before, case.settings).findings
    assert finding.message == (
        "bound `self.pending` (maxlen `self.config.max_memory_entries`): a full buffer "
        "drops its oldest entry, counted and warned (some appends are synchronous or "
        "outside `async with self._lock:`, so appends cannot wait for room); the "
        "flush takes its batch before writing and puts a failed batch back"
    )


def test_the_fix_is_reported_as_unsafe_where_the_buffer_is_declared() -> None:
    case, before = _case("audit_trail")
    [finding] = _run(before, case.settings).findings
    assert finding.fixable and finding.applicability == "unsafe"
    assert finding.line == _line_of(before, "self.pending_entries: list")
    assert finding.message == (
        "bound `self.pending_entries` (maxlen `self.config.max_memory_entries`): "
        "appends wait for room, the flush writes outside the lock and puts a failed "
        "batch back"
    )


def test_safe_only_leaves_the_buffer_alone() -> None:
    case, before = _case("minimal_outbox")
    result = _run(before, case.settings, safe_only=True)
    assert result.text == before
    [finding] = result.findings
    assert not finding.fixable and finding.message.endswith(
        "(unsafe fix not applied: --safe-only)"
    )


# -- options ---------------------------------------------------------------------------


def test_options_are_declared_with_their_defaults() -> None:
    assert registry.default_options()["TG004"] == {
        "maxlen": "self.config.max_memory_entries",
        "wait-timeout": "30.0",
        "warning-interval": "10.0",
        "flush-event": "self._flush_requested",
        "wake-at": "",
    }


def test_an_option_of_the_wrong_type_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match=r"'TG004\.wait-timeout' must be str"):
        _settings(**{"wait-timeout": 30})  # type: ignore[arg-type]


def test_an_option_that_is_no_expression_is_reported() -> None:
    _, before = _case("minimal_outbox")
    [finding] = _run(before, _settings(maxlen="self.config.")).findings
    assert (
        "the `maxlen` option, 'self.config.', is not an expression" in finding.message
    )
    assert not finding.fixable


def test_an_option_reading_what_init_does_not_set_is_reported() -> None:
    _, before = _case("minimal_outbox")
    settings = _settings(**{"wait-timeout": "self.timeouts.buffer"})
    [finding] = _run(before, settings).findings
    assert (
        "`wait-timeout` (self.timeouts.buffer) needs `self.timeouts`" in finding.message
    )


def test_without_the_flush_event_the_append_only_waits() -> None:
    _, before = _case("minimal_outbox")
    text = _run(before, _settings(**{"wake-at": "8"})).text
    # No `self._flush_requested` in the class: neither wake-up is generated.
    assert ".set()" not in text and ">= 8" not in text


# -- names and layout ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        (
            "pending_entries",
            (
                "_pending_entries",
                "_pending_room",
                "dropped_entries",
                "_append_pending_entry",
                "_settle_pending_entries",
                "entry",
            ),
        ),
        (
            "replies",
            (
                "_replies",
                "_replies_room",
                "dropped_replies",
                "_append_reply",
                "_settle_replies",
                "reply",
            ),
        ),
        (
            "buffer",
            (
                "_buffer",
                "_buffer_room",
                "dropped_buffer_items",
                "_append_buffer_item",
                "_settle_buffer",
                "item",
            ),
        ),
        (
            "_outgoing_bytes",
            (
                "_outgoing_bytes",
                "_outgoing_room",
                "dropped_bytes",
                "_append_outgoing_byte",
                "_settle_outgoing_bytes",
                "byte",
            ),
        ),
    ],
)
def test_names_come_from_the_buffer_name(
    attribute: str, expected: tuple[str, ...]
) -> None:
    names = buffer_names(attribute, taken=())
    assert (
        names.deque,
        names.room,
        names.dropped,
        names.append,
        names.settle,
        names.item,
    ) == expected
    assert names.public == (not attribute.startswith("_"))


def test_taken_names_get_a_suffix() -> None:
    names = buffer_names("events", taken={"_events", "_events_room", "_append_event"})
    assert (names.deque, names.room, names.append) == (
        "_events_2",
        "_events_room_2",
        "_append_event_2",
    )


def test_generated_code_follows_the_module_indentation() -> None:
    _, before = _case("minimal_outbox")
    tabbed = before.replace("    ", "\t")
    result = _run(tabbed)
    assert result.changed
    assert not re.search(r"^ +\S", result.text, re.MULTILINE), "space-indented line"
    cst.parse_module(result.text)
    assert _run(result.text).text == result.text
    after = CASES["minimal_outbox"].after
    assert after is not None
    assert result.text.replace("\t", "    ") == after.read_text(encoding="utf-8")


# -- the reference application ---------------------------------------------------------


def legacy_from_reference(reference: str) -> str:
    """The reference's ``encrypted_audit.py`` with its buffer regions as the legacy
    application has them (the regions listed by the reference's author)."""
    text = reference.replace("import collections\n", "", 1)
    text = _cut(
        text,
        "        self._pending_entries: collections.deque",
        '        self._last_drop_warning = float("-inf")\n',
        "        self.pending_entries: list[AuditEntry] = []\n",
    )
    text = _cut(
        text,
        "    @property\n    def pending_entries",
        "    async def start",
        "    async def start",
    )
    text = text.replace(
        "await self._append_pending_entry(entry)",
        "self.pending_entries.append(entry)",
        1,
    )
    text = _cut(
        text,
        "    # -- the buffer",
        "    async def _flush_pending_entries",
        "    async def _flush_pending_entries",
    )
    legacy_flush = """\
        async with self._mem_lock:
            if not self.pending_entries:
                return
            current_batch = list(self.pending_entries)
            self.pending_entries.clear()
            await self.store.write_block(current_batch)

"""
    return _cut(
        text,
        "        async with self._mem_lock:\n            if not self._pending",
        "    # -- workers",
        legacy_flush + "    # -- workers",
    )


def _cut(text: str, start: str, end: str, replacement: str) -> str:
    """``text`` with ``start`` ... ``end`` (``end`` included) replaced."""
    first = text.index(start)
    last = text.index(end, first) + len(end)
    return text[:first] + replacement + text[last:]


def test_the_legacy_buffer_becomes_the_reference_byte_for_byte() -> None:
    reference = REFERENCE.read_text(encoding="utf-8")
    legacy = legacy_from_reference(reference)
    assert "import collections" not in legacy and "deque" not in legacy
    result = _run(legacy, _settings(**BUNDLED_TABLE))
    assert result.text == reference
    assert _run(result.text, _settings(**BUNDLED_TABLE)).text == reference


def test_the_bundled_legacy_app_differs_from_that_only_outside_the_buffer() -> None:
    """The legacy app's module is the reverted reference plus TG001/TG002's regions."""
    bundled = (
        REPO / "fixtures" / "legacy_app" / "resync" / "core" / "encrypted_audit.py"
    )
    if not bundled.is_file():
        pytest.skip("fixtures/legacy_app is not there")
    legacy = legacy_from_reference(REFERENCE.read_text(encoding="utf-8"))
    theirs = bundled.read_text(encoding="utf-8")
    ours_buffer = [line for line in legacy.splitlines() if "pending" in line]
    theirs_buffer = [line for line in theirs.splitlines() if "pending" in line]
    assert ours_buffer == theirs_buffer


def test_design_doc_shows_the_generated_shape_of_the_reference() -> None:
    design = (REPO / "docs" / "design.md").read_text(encoding="utf-8")
    shapes = design.index("**The shapes real code has (TG004")
    section = design[design.index("**Bounded buffer (TG004).**") : shapes]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 4
    reference = REFERENCE.read_text(encoding="utf-8")
    for block in blocks:
        assert block in reference, textwrap.shorten(block, 80)
    # The late flush's shape is the golden case's output.
    later = design[shapes : design.index("## Golden cases")]
    [block] = re.findall(r"```python\n(.*?)```", later, re.DOTALL)
    after = CASES["rebound_after_write"].after
    assert after is not None and block in after.read_text(encoding="utf-8")


def test_appends_that_cannot_wait_ignore_the_waiting_options() -> None:
    """The timeout and the flush event only serve appends that wait: a buffer whose
    appends cannot is bounded even where those options name what it lacks."""
    case, before = _case("snapshot_await_clear")
    settings = _settings(
        maxlen="self.capacity",
        **{"wait-timeout": "self.config.timeout", "flush-event": "self.config.event"},
    )
    result = _run(before, settings)
    assert result.text == case.after.read_text(encoding="utf-8")  # type: ignore[union-attr]
    [finding] = result.findings
    assert finding.fixable


@pytest.mark.parametrize(
    "after",
    sorted(cases_folder("TG004").glob("*.after.py")),
    ids=lambda path: path.name.removesuffix(".after.py"),
)
def test_its_own_output_is_left_alone_and_reported_nowhere(after: Path) -> None:
    # A migrated tree must pass `codemods check`: the bounded deque TG004 wrote is
    # neither changed nor reported again.
    result = run("TG004", after.read_text(encoding="utf-8"))
    assert not result.changed
    assert [f for f in result.findings if f.rule == "TG004"] == []
