"""Which accepted hunks may be written: parsing, groups across files, files on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemods.core.diffs import unified_diff
from codemods.core.results import FileResult, Finding
from codemods.review.changes import Change, FileChanges, attribute, load
from codemods.review.commit import commit
from codemods.review.decide import resolve
from codemods.review.hunks import parse
from codemods.review.names import newly_undefined

GROUP = "TG002:pkg.poller.Poller.start"


def _file(shown: str, old: str, new: str, groups: list[frozenset[str]]) -> FileChanges:
    hunks = parse(unified_diff(old, new, shown)).hunks
    assert len(hunks) == len(groups)
    changes = tuple(
        Change(h, ("TG002",), g) for h, g in zip(hunks, groups, strict=True)
    )
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
    assert (
        resolution.writes["pkg/main.py"]
        == b"async def main(p) -> None:\n    await p.start()\n"
    )


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
    assert (
        resolve([file], {"m.py": {0}})
        .refused["m.py"]
        .startswith("the new text cannot be encoded as ascii")
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


# -- on disk -------------------------------------------------------------------------


def _on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, FileChanges]:
    monkeypatch.chdir(tmp_path)
    old = "x = 1\n"
    path = tmp_path / "m.py"
    path.write_text(old)
    result = FileResult(
        "m.py", True, (), None, unified_diff(old, "x = 2\n", "m.py"), ("TG001",)
    )
    return path, load(result)


def test_commit_writes_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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


def test_a_read_only_file_refuses_its_group_before_any_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = []
    for name, old, new in [
        ("a.py", "x = 1\n", "x = 2\n"),
        ("b.py", "y = 1\n", "y = 2\n"),
    ]:
        (tmp_path / name).write_text(old)
        result = FileResult(
            name,
            True,
            (Finding("TG002", 1, 1, "m", True, group=GROUP),),
            None,
            unified_diff(old, new, name),
            ("TG002",),
        )
        files.append(load(result))
    # As if b.py were read-only (chmod alone does not stop root, who runs CI here).
    writable = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m: Path(p).name != "b.py" and writable(p, m)
    )
    outcomes = commit(files, {"a.py": {0}, "b.py": {0}})
    assert [o.reason for o in outcomes][1] == "file is read-only"
    assert (tmp_path / "a.py").read_text() == "x = 1\n", (
        "its group partner is unwritten"
    )


# -- hunks of one file that depend on each other ---------------------------------------

# What TG002 makes of a class whose __init__, start() and imports are far apart: three
# hunks, the last one using what the first two add.
SPREAD_OLD = (
    "from app.task_tracker import track_task\n\n\nclass Service:\n"
    "    def __init__(self) -> None:\n"
    + "".join(f"        self.a{n} = {n}\n" for n in range(8))
    + "\n    def helper(self) -> int:\n        return 1\n\n"
    "    def other(self) -> int:\n        return 2\n\n"
    "    def start(self) -> None:\n        track_task(self.work())\n\n"
    "    async def work(self) -> None:\n        pass\n"
)
SPREAD_NEW = (
    SPREAD_OLD.replace("from app.task_tracker import track_task\n", "import asyncio\n")
    .replace(
        "        self.a7 = 7\n",
        "        self.a7 = 7\n"
        "        self._background_tasks: set[asyncio.Task[None]] = set()\n",
    )
    .replace(
        "    def start(self) -> None:\n        track_task(self.work())\n",
        "    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:\n"
        "        if tg is None:\n"
        "            task = asyncio.create_task(self.work())\n"
        "            self._background_tasks.add(task)\n"
        "            task.add_done_callback(self._background_tasks.discard)\n"
        "        else:\n"
        "            tg.create_task(self.work())\n",
    )
)


def _spread() -> FileChanges:
    return _file("app/svc.py", SPREAD_OLD, SPREAD_NEW, [frozenset()] * 3)


def test_a_use_without_what_it_needs_is_refused() -> None:
    refused = resolve([_spread()], {"app/svc.py": {2}}).refused["app/svc.py"]
    assert refused == (
        "leaves `asyncio`, `self._background_tasks` undefined (used at line 21): "
        "accept the hunks at lines 1, 14 and 21 of this file together, or none of them"
    )


def test_removing_an_import_still_used_is_refused() -> None:
    refused = resolve([_spread()], {"app/svc.py": {0}}).refused["app/svc.py"]
    assert refused == (
        "leaves `track_task` undefined (used at line 22): "
        "accept the hunks at lines 1 and 21 of this file together, or none of them"
    )


@pytest.mark.parametrize(
    ("accepted", "undefined"),
    [
        pytest.param({1}, "`asyncio`", id="keeper without the import"),
        pytest.param({0, 1}, "`track_task`", id="import and keeper without the use"),
        pytest.param({1, 2}, "`asyncio`", id="keeper and use without the import"),
    ],
)
def test_every_partial_selection_of_a_dependent_file_is_refused(
    accepted: set[int], undefined: str
) -> None:
    refused = resolve([_spread()], {"app/svc.py": accepted}).refused["app/svc.py"]
    assert refused.startswith(f"leaves {undefined} undefined (used at line ")


def test_the_whole_dependent_file_is_written() -> None:
    file = _spread()
    resolution = resolve([file], {"app/svc.py": {0, 1, 2}})
    assert resolution.refused == {}
    assert resolution.writes["app/svc.py"] == SPREAD_NEW.encode()


def test_names_the_original_leaves_undefined_are_not_blamed() -> None:
    # `helper` is undefined before and after: not the review's business.
    old = "x = helper()\n" + "".join(f"y{n} = {n}\n" for n in range(8)) + "z = 1\n"
    new = old.replace("x = helper()", "x = helper(1)").replace("z = 1", "z = 2")
    file = _file("m.py", old, new, [frozenset()] * 2)
    assert resolve([file], {"m.py": {0}}).refused == {}


@pytest.mark.parametrize(
    ("old", "partial", "expected"),
    [
        pytest.param("import a.b\nx = a.b\n", "x = a.b\n", ["a@1"], id="dotted import"),
        pytest.param(
            "from m import f as g\ng()\n", "from m import f\ng()\n", ["g@2"], id="alias"
        ),
        pytest.param(
            "class C:\n    def f(self):\n        return self.g()\n\n"
            "    def g(self):\n        return 1\n",
            "class C:\n    def f(self):\n        return self.g()\n",
            ["self.g@3"],
            id="a method through self",
        ),
        pytest.param(
            "try:\n    pass\nexcept E as e:\n    print(e)\n",
            "try:\n    pass\nexcept E:\n    print(e)\n",
            ["e@4"],
            id="except as",
        ),
        pytest.param(
            "def f(tg):\n    tg.create_task(g())\n",
            "def f():\n    tg.create_task(g())\n",
            ["tg@2"],
            id="a parameter",
        ),
        pytest.param(
            "for i in x:\n    print(i)\n",
            "for j in x:\n    print(j)\n",
            [],
            id="renamed",
        ),
    ],
)
def test_newly_undefined(old: str, partial: str, expected: list[str]) -> None:
    # `full` is `old` here: what the partial text loses compared to both.
    found = newly_undefined(old, partial, old)
    assert [f"{u.spelled}@{u.line}" for u in found] == expected
