"""``--shard K/N`` and ``merge-reports``: a CI matrix gives what one run gives.

The shards partition the files (disjoint, complete, stable when files are added
elsewhere); their JSON reports merge into the unsharded run's report and exit code, and
their patches into its patch, also for TG002, whose answers need other shards' files
(scanned by each shard, or taken from one `codemods index` file with `--index`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from codemods.engine.shard import Shard, shard_of
from tests.support.cli import TRACKED, invoke, write
from tests.support.golden import CASES

MULTIMODULE = CASES / "TG002" / "multimodule" / "before"


def _paths(count: int, root: Path) -> list[Path]:
    return [root / f"pkg{i % 7}" / f"module_{i}.py" for i in range(count)]


def test_shards_are_disjoint_complete_and_balanced(tmp_path: Path) -> None:
    paths = _paths(600, tmp_path)
    shards = [{p for p in paths if Shard(k, 4).owns(p, tmp_path)} for k in range(1, 5)]
    assert set().union(*shards) == set(paths)
    assert sum(len(shard) for shard in shards) == len(paths)
    assert all(100 <= len(shard) <= 200 for shard in shards), [len(s) for s in shards]


def test_a_file_stays_in_its_shard_when_others_come_and_go(tmp_path: Path) -> None:
    before = {p: shard_of(p, tmp_path, 5) for p in _paths(300, tmp_path)}
    grown = _paths(900, tmp_path)[::2]
    after = {p: shard_of(p, tmp_path, 5) for p in grown}
    assert {p: after[p] for p in before if p in after} == {
        p: before[p] for p in before if p in after
    }


def test_the_shard_depends_on_the_path_relative_to_the_root(tmp_path: Path) -> None:
    one, other = tmp_path / "clone1", tmp_path / "elsewhere" / "clone2"
    relative = [Path("a/b.py"), Path("c.py"), Path("d/e/f.py")]
    assert [shard_of(one / r, one, 3) for r in relative] == [
        shard_of(other / r, other, 3) for r in relative
    ]


@pytest.mark.parametrize("spec", ["0/3", "4/3", "1/0", "a/b", "2", "1/3/4"])
def test_a_bad_shard_is_a_usage_error(spec: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--shard"):
        Shard.parse(spec)
    write(tmp_path, "a.py", "x = 1\n")
    result = invoke("check", "--shard", spec, tmp_path)
    assert result.exit_code == 2
    assert "--shard" in result.stderr


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(MULTIMODULE, root)
    for index in range(12):
        write(root, f"jobs/tracked_{index}.py", TRACKED)
        write(root, f"jobs/plain_{index}.py", f"VALUE = {index}\n")
    return root


def _report(*args: str | Path) -> tuple[int, dict[str, object]]:
    result = invoke(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def _shard_reports(
    tmp_path: Path, count: int, *options: str
) -> tuple[list[int], list[Path]]:
    """Exit codes and JSON reports of ``check --shard K/count`` for every K."""
    codes, reports = [], []
    for k in range(1, count + 1):
        code, report = _report("check", *options, "--shard", f"{k}/{count}", ".")
        path = tmp_path / f"shard-{k}.json"
        path.write_text(json.dumps(report))
        codes.append(code)
        reports.append(path)
    return codes, reports


def _index_options(tmp_path: Path, indexed: bool, *options: str) -> tuple[str, ...]:
    """With ``indexed``: ``--index FILE``, FILE written by ``codemods index``."""
    if not indexed:
        return options
    index = tmp_path / "index.bin"
    result = invoke("index", *options, "--out", index, ".")
    assert result.exit_code == 0, result.stderr
    return (*options, "--index", str(index))


@pytest.mark.parametrize("indexed", [False, True], ids=["scanned", "index-file"])
@pytest.mark.parametrize("select", ["TG001", "ALL"])
def test_merged_shards_give_the_unsharded_report(
    tree: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    select: str,
    indexed: bool,
) -> None:
    """TG001 alone reads only each shard's own files; with TG002 a shard also scans
    the others' for the project index (or takes their facts from the index file), and
    still reports only its own."""
    monkeypatch.chdir(tree)
    whole_code, whole = _report("check", "--select", select, ".")
    assert whole_code == 1 and whole["files"]
    options = _index_options(tmp_path, indexed, "--select", select)
    codes, reports = _shard_reports(tmp_path, 3, *options)
    assert codes == [1, 1, 1], "each shard has work on this tree"
    merged = invoke("merge-reports", *reports)
    assert merged.exit_code == whole_code
    assert json.loads(merged.stdout) == whole


@pytest.mark.parametrize("indexed", [False, True], ids=["scanned", "index-file"])
def test_a_shard_none_of_whose_files_is_pending_still_runs_the_rounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indexed: bool
) -> None:
    """`services/metrics.py` spells no trigger word: only a later round finds it, as
    a subclass of another module's converted `Service`, and its shard has no file of
    its own pending after the first scan."""
    root = tmp_path / "tree"
    shutil.copytree(MULTIMODULE, root)
    monkeypatch.chdir(root)
    metrics = Path("services/metrics.py")
    assert shard_of(root / metrics, root, 3) != shard_of(
        root / "services/base.py", root, 3
    )
    whole_code, whole = _report("check", ".")
    files = whole["files"]
    assert isinstance(files, list)
    assert metrics.as_posix() in [f["path"] for f in files if f["changed"]]
    _, reports = _shard_reports(tmp_path, 3, *_index_options(tmp_path, indexed))
    merged = invoke("merge-reports", *reports)
    assert merged.exit_code == whole_code == 1
    assert json.loads(merged.stdout) == whole


def test_merged_patches_give_the_unsharded_patch(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    whole = tmp_path / "whole.patch"
    assert invoke("run", "--patch", whole, ".").exit_code == 0
    reports: list[Path] = []
    patches: list[str | Path] = []
    for k in (1, 2):
        patch = tmp_path / f"shard-{k}.patch"
        result = invoke(
            "run", "--shard", f"{k}/2", "--patch", patch, "--format", "json", "."
        )
        report = tmp_path / f"shard-{k}.json"
        report.write_text(result.stdout)
        reports.append(report)
        patches.extend(["--with-patch", patch])
    merged = tmp_path / "merged.patch"
    result = invoke("merge-reports", *reports, *patches, "--patch", merged)
    assert result.exit_code == 0
    assert merged.read_bytes() == whole.read_bytes()
    assert merged.read_bytes().count(b"diff --git") >= 12


def test_merge_refuses_overlapping_or_foreign_reports(tmp_path: Path) -> None:
    write(tmp_path, "tree/a.py", TRACKED)
    code, report = _report("check", "--select", "TG001", tmp_path / "tree")
    assert code == 1
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    first.write_text(json.dumps(report))
    second.write_text(json.dumps(report))
    overlap = invoke("merge-reports", first, second)
    assert overlap.exit_code == 2 and "two reports" in overlap.stderr
    second.write_text('{"files": []}')
    foreign = invoke("merge-reports", first, second)
    assert foreign.exit_code == 2 and "not a version 1" in foreign.stderr
