"""Which accepted hunks may be written: parse check, groups across files, files on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemods.engine.diffs import unified_diff
from codemods.engine.results import FileResult, Finding
from codemods.review.changes import Change, FileChanges, attribute, load
from codemods.review.commit import commit
from codemods.review.decide import resolve
from codemods.review.hunks import parse

GROUP = "TG002:pkg.poller.Poller.start"


def _file(shown: str, old: str, new: str, groups: list[frozenset[str]]) -> FileChanges:
    hunks = parse(unified_diff(old, new, shown)).hunks
    assert len(hunks) == len(groups)
    changes = tuple(Change(h, ("TG002",), g) for h, g in zip(hunks, groups, strict=True))
    return FileChanges(shown, changes, old, "utf-8")


def _pair() -> tuple[FileChanges, FileChanges]:
    """A converted signature (group member) and its caller in another file."""
    poller = _file(
        "pkg/poller.py",
        "class Poller:\n    def start(self) -> None:\n        pass\n",
        "class Poller:\n    async def start(self) -> None:\n        pass\n",
        [frozenset({GROUP})],
    )
    main = _file(
        "pkg/main.py",
        "async def main(p) -> None:\n    p.start()\n",
        "async def main(p) -> None:\n    await p.start()\n",
        [frozenset({GROUP})],
    )
    return poller, main


def test_a_whole_group_is_written() -> None:
    poller, main = _pair()
    resolution = resolve([poller, main], {"pkg/poller.py": {0}, "pkg/main.py": {0}})
    assert resolution.refused == {}
    assert resolution.writes["pkg/main.py"] == b"async def main(p) -> None:\n    await p.start()\n"


@pytest.mark.parametrize("accepted", ["pkg/poller.py", "pkg/main.py"])
def test_part_of_a_group_across_files_is_refused(accepted: str) -> None:
    poller, main = _pair()
    resolution = resolve([poller, main], {accepted: {0}})
    assert resolution.writes == {}
    other = "pkg/main.py" if accepted == "pkg/poller.py" else "pkg/poller.py"
    assert resolution.refused[accepted] == (
        f"applies only part of {GROUP}: 1 of its 2 changes (the rest, in {other}, "
        "were not accepted or were refused)"
    )


def test_a_refusal_spreads_to_the_rest_of_its_group() -> None:
    poller, main = _pair()
    broken = _file(
        "pkg/other.py",
        "def g() -> None:\n    pass\n",
        "def g() -> None:\n    pass\n        pass\n",  # accepted, it does not parse
        [frozenset({GROUP})],
    )
    files = [poller, main, broken]
    resolution = resolve(files, {f.shown: {0} for f in files})
    assert resolution.writes == {}
    assert resolution.refused["pkg/other.py"].startswith(
        "the accepted hunks do not parse together (line 3: unexpected indent)"
    )
    assert "applies only part of" in resolution.refused["pkg/poller.py"]
    assert "applies only part of" in resolution.refused["pkg/main.py"]


def test_an_unparseable_selection_in_one_file_is_refused() -> None:
    # The first hunk opens a string the second one closes.
    filler = "".join(f"x{n} = {n}\n" for n in range(8))
    file = _file(
        "m.py", f"a = 1\n{filler}b = 2\n", f'a = """\n{filler}"""\n', [frozenset()] * 2
    )
    assert resolve([file], {"m.py": {0, 1}}).refused == {}
    refused = resolve([file], {"m.py": {0}}).refused["m.py"]
    assert refused.startswith("the accepted hunks do not parse together (line 1:")
    assert refused.endswith("accept the hunks around it too, or none")


def test_text_the_encoding_cannot_hold_is_refused() -> None:
    file = _file("m.py", "x = 1\n", "x = 'é'\n", [frozenset()])
    file = FileChanges(file.shown, file.changes, file.text, "ascii")
    assert resolve([file], {"m.py": {0}}).refused["m.py"].startswith(
        "the new text cannot be encoded as ascii"
    )


def test_attribution_to_the_findings_in_a_hunk() -> None:
    old = "".join(f"x{n} = {n}\n" for n in range(1, 21))
    new = old.replace("x2 = 2\n", "x2 = 20\n").replace("x18 = 18\n", "x18 = 180\n")
    result = FileResult(
        "m.py",
        changed=True,
        findings=(
            Finding("TG001", 2, 1, "m", True),
            Finding("TG002", 18, 1, "m", True, group=GROUP),
            Finding("TG003", 10, 1, "not fixable: no hunk of its own", False),
        ),
        diff=unified_diff(old, new, "m.py"),
        changed_by=("TG002", "TG001", "TG005"),
    )
    first, second = attribute(result, parse(result.diff or "").hunks)
    assert (first.codes, first.groups) == (("TG001",), frozenset())
    assert (second.codes, second.groups) == (("TG002",), frozenset({GROUP}))
    # No finding in a hunk: the codemods that changed the file made it.
    unattributed = FileResult("m.py", True, (), None, result.diff, ("TG002", "TG001"))
    hunks = parse(result.diff or "").hunks
    assert [c.codes for c in attribute(unattributed, hunks)] == [("TG002", "TG001")] * 2


# -- on disk ----------------------------------------------------------------------------


def _on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, FileChanges]:
    monkeypatch.chdir(tmp_path)
    old = "x = 1\n"
    path = tmp_path / "m.py"
    path.write_text(old)
    result = FileResult(
        "m.py", True, (), None, unified_diff(old, "x = 2\n", "m.py"), ("TG001",)
    )
    return path, load(result)


def test_commit_writes_and_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, file = _on_disk(tmp_path, monkeypatch)
    (outcome,) = commit([file], {"m.py": {0}})
    assert (outcome.applied, outcome.skipped, outcome.refused, outcome.reason) == (
        1,
        0,
        0,
        None,
    )
    assert path.read_text() == "x = 2\n"


def test_a_file_edited_during_the_review_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, file = _on_disk(tmp_path, monkeypatch)
    path.write_text("x = 1  # edited meanwhile\n")
    (outcome,) = commit([file], {"m.py": {0}})
    assert outcome.reason == "file changed during the review"
    assert (outcome.applied, outcome.refused) == (0, 1)
    assert path.read_text() == "x = 1  # edited meanwhile\n"


def test_a_file_edited_since_the_dry_run_is_not_reviewed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text("x = 5\n")
    result = FileResult(
        "m.py", True, (), None, unified_diff("x = 1\n", "x = 2\n", "m.py"), ("TG001",)
    )
    file = load(result)
    assert file.problem == "file changed since the dry run"
    (outcome,) = commit([file], {})
    assert outcome.reason == "file changed since the dry run"
    assert os.path.getsize(tmp_path / "m.py") == len("x = 5\n")
