"""The bundled legacy app: the reference application before the plan's migration.

It differs from ``target_reference`` only in the regions the plan names, the codemods
turn it into the reference byte for byte, and the conformance suite shows it broken
exactly where the plan says it is (its ``legacy_broken`` tests are strict xfails).

The legacy tracker ``resync/core/task_tracker.py`` has no counterpart in the reference:
the codemods leave it in place (deleting a module is a person's decision) and unchanged,
and after migration no module imports it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from codemods.core.diffs import unified_diff
from codemods.validate.compare import imported_modules, python_files
from tests.support.project import LEGACY_APP, REFERENCE, REPO
from tests.support.xfail_causes import PREFIX

if TYPE_CHECKING:
    from tests.support.validated import Validation

pytest_plugins = ["tests.support.validated"]

TRACKER = "resync/core/task_tracker.py"
UNEXPECTED_TG = r"\(\) got an unexpected keyword argument 'tg'"
BOOT = r"^TypeError\(\"EncryptedAuditTrail\.start" + UNEXPECTED_TG
# The plan's symptoms of the legacy app, as the conformance test and how it fails there.
PLAN_SYMPTOMS = {
    # 1.1: the manager's start(tg=tg) on a synchronous start() without parameters.
    "test_manager_and_lifespan.py::"
    "test_the_manager_boots_in_a_taskgroup_and_shuts_down_in_reverse": BOOT,
    "test_server_shutdown.py::"
    "test_sigint_under_load_shuts_down_in_order_and_loses_nothing": (
        "the server exited during startup"
    ),
    # 2.2/2.3: the lifespan's TaskGroup cannot own the workers and executions, so its
    # shutdown cannot wait for them.
    "test_manager_and_lifespan.py::"
    "test_lifespan_serves_then_shuts_down_in_order_leaving_nothing_behind": BOOT,
    "test_runner.py::"
    "test_executions_run_in_the_given_taskgroup_named_after_their_trace": (
        r"OrchestrationRunner\.start_execution" + UNEXPECTED_TG
    ),
    # 3.3: a failed flush loses its batch.
    "test_audit_buffer.py::test_nothing_is_lost_when_every_third_write_fails": (
        "^AssertionError"
    ),
}
FAILURES = {"TypeError", "AssertionError", "AttributeError", "TimeoutError", "assert"}
M, S = re.MULTILINE, re.MULTILINE | re.DOTALL

# The plan's regions, module by module: (name, pattern in the reference, pattern in the
# legacy app), None where that side has nothing. Each pattern must match exactly once;
# with the matches replaced by the same placeholder, the modules must be equal.
Region = tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]
REGIONS: dict[str, list[Region]] = {
    "resync/core/encrypted_audit.py": [
        ("collections import", re.compile(r"^import collections\n", M), None),
        (
            "tracker import",
            None,
            re.compile(r"^from resync\.core\.task_tracker import track_task\n", M),
        ),
        (
            "buffer attributes",
            re.compile(
                r"^        self\._pending_entries: collections\.deque.*?"
                r'^        self\._last_drop_warning = float\("-inf"\)\n',
                S,
            ),
            re.compile(
                r"^        self\.pending_entries: list\[AuditEntry\] = \[\]\n", M
            ),
        ),
        (
            "pending_entries property",
            re.compile(r"^    @property\n    def pending_entries\(self\).*?\n\n", S),
            None,
        ),
        (
            "start",
            re.compile(r"^    async def start\(.*?(?=^    async def stop\()", S),
            re.compile(
                r"^    def start\(self\) -> None:.*?(?=^    async def stop\()", S
            ),
        ),
        (
            "append",
            re.compile(r"await self\._append_pending_entry\(entry\)"),
            re.compile(r"self\.pending_entries\.append\(entry\)"),
        ),
        (
            "buffer section",
            re.compile(
                r"^    # -- the buffer -+\n.*?"
                r"(?=^    async def _flush_pending_entries)",
                S,
            ),
            None,
        ),
        (
            "flush",
            re.compile(
                r"^    async def _flush_pending_entries.*?(?=^    # -- workers)", S
            ),
            re.compile(
                r"^    async def _flush_pending_entries.*?(?=^    # -- workers)", S
            ),
        ),
    ],
    "resync/core/orchestration/runner.py": [
        (
            "constructor signature",
            re.compile(r"^    def __init__\(\n        self,\n.*?^    \) -> None:\n", S),
            re.compile(
                r"^    def __init__\(self, session_factory: "
                r"async_sessionmaker\[AsyncSession\]\) -> None:\n",
                M,
            ),
        ),
        (
            "constructor group",
            re.compile(
                r"^        self\.tg = tg\n        self\._background_tasks: .*\n", M
            ),
            None,
        ),
        (
            "start_execution group",
            re.compile(
                r"^        tg: asyncio\.TaskGroup \| None = None,\n(?=    \) -> str)", M
            ),
            None,
        ),
        (
            "spawn",
            re.compile(
                r"^        task_group = self\.tg if tg is None else tg\n.*?"
                r"(?=\n        return trace_id)",
                S,
            ),
            re.compile(
                r"^        asyncio\.create_task\(self\._run_loop\(execution\.id\)\)\n",
                M,
            ),
        ),
    ],
    "resync/core/enterprise/manager.py": [
        (
            "start call",
            re.compile(r"await self\._encrypted_audit\.start\(tg=tg\)"),
            re.compile(r"(?<!await )self\._encrypted_audit\.start\(tg=tg\)"),
        ),
    ],
    "resync/core/startup.py": [
        (
            "initialize call",
            re.compile(r"initialize\(tg=bg_tasks\)"),
            re.compile(r"initialize\(\)"),
        ),
        (
            "runner construction",
            re.compile(r"OrchestrationRunner\(session_factory, tg=bg_tasks\)"),
            re.compile(r"OrchestrationRunner\(session_factory\)"),
        ),
    ],
}


def _without_regions(text: str, module: str, side: int) -> str:
    for name, *patterns in REGIONS.get(module, []):
        pattern = patterns[side]
        if pattern is None:
            continue
        placeholder = "" if None in patterns else f"<{name}>"
        text, count = pattern.subn(placeholder, text)
        where = ("reference", "legacy app")[side]
        assert count == 1, f"{module}: region '{name}' matched {count}x in the {where}"
    return text


def _differences(left: dict[str, Path], right: dict[str, Path]) -> str:
    """Unified diffs of the modules both trees have and that differ (a/ is left)."""
    return "".join(
        unified_diff(left[m].read_text(), right[m].read_text(), m)
        for m in sorted(left.keys() & right.keys())
        if left[m].read_bytes() != right[m].read_bytes()
    )


def test_the_legacy_app_has_the_reference_modules_plus_the_tracker() -> None:
    legacy, reference = python_files(LEGACY_APP), python_files(REFERENCE)
    assert set(legacy) - set(reference) == {TRACKER}
    assert set(reference) - set(legacy) == set()


def test_the_legacy_app_differs_from_the_reference_only_in_the_plan_regions() -> None:
    legacy, reference = python_files(LEGACY_APP), python_files(REFERENCE)
    for module in sorted(legacy.keys() & reference.keys()):
        expected = _without_regions(reference[module].read_text(), module, 0)
        actual = _without_regions(legacy[module].read_text(), module, 1)
        assert actual == expected, unified_diff(expected, actual, module)


def test_the_legacy_tracker_keeps_strong_references_to_its_tasks() -> None:
    source = (LEGACY_APP / TRACKER).read_text()
    assert ") -> asyncio.Task[T]:" in source
    assert "_background_tasks.add(task)" in source
    assert "task.add_done_callback(_background_tasks.discard)" in source


@pytest.fixture(scope="module")
def migrated(bundled_validation: Validation) -> Path:
    """The legacy app after the codemods (all of them): the copy that the session's
    ``codemods validate`` migrated and kept."""
    assert bundled_validation.gate("parse")["status"] == "passed"
    return bundled_validation.migrated


def test_the_codemods_turn_the_legacy_app_into_the_reference(migrated: Path) -> None:
    """Red while a codemod the plan needs is missing: the diff (a/ reference, b/
    migrated) shows what the codemods do not produce yet."""
    ours, reference = python_files(migrated), python_files(REFERENCE)
    assert set(ours) - set(reference) == {TRACKER}
    assert set(reference) - set(ours) == set()
    assert _differences(reference, ours) == ""


def test_the_migration_leaves_the_tracker_unchanged_and_unused(migrated: Path) -> None:
    assert (migrated / TRACKER).read_bytes() == (LEGACY_APP / TRACKER).read_bytes()
    importers = [
        module
        for module, path in python_files(migrated).items()
        if "resync.core.task_tracker" in imported_modules(path, module)
    ]
    assert importers == []


def test_the_legacy_app_fails_exactly_where_the_plan_says_it_is_broken() -> None:
    """Every ``legacy_broken`` test is a strict xfail against the legacy root, so the
    run passes only if each of them fails and every other test passes; and they fail
    for the plan's reasons, not on some accident of the fixture."""
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", "tests/conformance", "-q",
            "-p", "no:cacheprovider", "-p", "tests.support.xfail_causes",
            "--impl-root", str(LEGACY_APP),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-5000:]
    summary = run.stdout.strip().splitlines()[-1]
    counts = re.fullmatch(r"(\d+) passed, (\d+) xfailed in .*", summary)
    assert counts is not None, summary
    causes = dict(
        line.removeprefix(PREFIX).split(": ", 1)
        for line in run.stdout.splitlines()
        if line.startswith(PREFIX)
    )
    assert len(causes) == int(counts[2]) >= 10, run.stdout[-5000:]
    for test, cause in PLAN_SYMPTOMS.items():
        assert re.search(cause, causes[f"tests/conformance/{test}"]), (test, causes)
    # Each one fails on the app's behaviour: nothing fails to import or to set up.
    for test, cause in causes.items():
        kind = re.match(r"\w+", cause)
        assert kind is not None and kind[0] in FAILURES, (test, cause)


def test_the_migrated_legacy_app_passes_the_whole_conformance_suite(
    bundled_validation: Validation,
) -> None:
    """Gate (d) of the bundled validation: the suite, the migrated copy as its root."""
    tests = bundled_validation.gate("tests")
    assert tests["status"] == "passed", tests["details"]
    assert re.fullmatch(r"\d+ passed in .*", tests["summary"]), tests["summary"]
