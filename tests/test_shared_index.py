"""``codemods index --out FILE`` and ``--index FILE``: the TG002 index built once.

With the file, a shard parses only its own files (the others' facts come from it),
and gives what it gives without the file; a foreign file changed since the index was
written is scanned again; a file from another tool version or configuration, or a
damaged or missing one, is a usage error naming it, and nothing runs.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from codemods import config
from codemods.engine import pool as pool_module
from codemods.engine.cache import content_hash
from codemods.engine.parent import runner, shared_index
from codemods.engine.parent.shared_index import FORMAT, MAGIC, SharedIndex
from codemods.engine.shard import Shard, shard_of
from codemods.engine.worker.context import FileContext
from codemods.engine.worker.transform import parse_for
from tests.support.cli import TRACKED, invoke, write
from tests.support.golden import CASES
from tests.support.pool import InProcessPool

MULTIMODULE = CASES / "TG002" / "multimodule" / "before"
BASE, METRICS = "services/base.py", "services/metrics.py"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The TG002 multi-module case plus tracker users, files spelling a trigger word
    only in prose, and plain files; every file's text its own."""
    root = tmp_path / "tree"
    shutil.copytree(MULTIMODULE, root)
    for index in range(6):
        write(root, f"jobs/tracked_{index}.py", f"{TRACKED}\n# job {index}\n")
        write(root, f"jobs/plain_{index}.py", f"VALUE = {index}\n")
        write(
            root, f"jobs/prose_{index}.py", f'"""No track_task() here ({index})."""\n'
        )
    monkeypatch.chdir(root)
    return root


def _index(out: Path, *options: str) -> Path:
    result = invoke("index", *options, "--out", out, ".")
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    return out


def _texts() -> dict[str, str]:
    files = sorted(Path().rglob("*.py"))
    texts = {path.read_text("utf-8"): path.as_posix() for path in files}
    assert len(texts) == len(files), "every file's text must be its own"
    return texts


@pytest.fixture
def parsed(tree: Path, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The shown paths of the files parsed from here on (runs in this process)."""
    texts = _texts()
    counter: Counter[str] = Counter()

    def counting(context: FileContext, *args: Any, **kwargs: Any) -> Any:
        text = context.text
        if text not in texts:  # a file the test changed
            texts.update(_texts())
        counter[texts[text]] += 1
        return parse_for(context, *args, **kwargs)

    monkeypatch.setattr(pool_module, "Pool", InProcessPool)
    monkeypatch.setattr("codemods.engine.worker.phases.parse_for", counting)
    return counter


def _shard_run(k: int, shared: SharedIndex | None) -> runner.Request:
    settings = config.load([Path(".")])
    return runner.Request((Path("."),), settings, shard=Shard(k, 3), shared=shared)


def test_the_index_file_holds_every_files_hash_and_the_candidates_facts(
    tree: Path, tmp_path: Path
) -> None:
    shared = SharedIndex.read(_index(tmp_path / "i.bin"), config.load([tree]))
    files = sorted(path.as_posix() for path in Path().rglob("*.py"))
    assert sorted(shared.entries) == files
    for shown, entry in shared.entries.items():
        assert entry.hash == content_hash(Path(shown).read_bytes())
    for index in range(6):
        plain = shared.entries[f"jobs/plain_{index}.py"]
        prose = shared.entries[f"jobs/prose_{index}.py"]
        assert not (plain.candidate or plain.parsed)
        assert not (prose.candidate or prose.parsed), "only prose spells it"
    base = shared.entries[BASE].facts
    assert base is not None and base.name == "services.base"
    assert [c.name for c in base.classes] == ["Service"]
    # Found in a later round only: it spells no trigger word, but a subclass name.
    metrics = shared.entries[METRICS]
    assert metrics.parsed and metrics.facts is not None


def test_with_the_index_file_each_shard_parses_only_its_own_files(
    tree: Path, tmp_path: Path, parsed: Counter[str]
) -> None:
    shared = SharedIndex.read(_index(tmp_path / "i.bin"), config.load([tree]))
    for k in (1, 2, 3):
        parsed.clear()
        alone = runner.run(_shard_run(k, None))
        scanned = dict(parsed)
        parsed.clear()
        summary = runner.run(_shard_run(k, shared))
        own = {shown for shown in scanned if shard_of(tree / shown, tree, 3) == k}
        assert set(parsed) == own and set(parsed.values()) == {1}
        assert len(scanned) > len(own), "without the file, foreign files are parsed"
        assert summary.stats["parsed"] == len(own)
        assert summary.stats["shared"] == len(scanned) - len(own)
        assert summary.stats["shared_stale"] == 0
        assert summary.results == alone.results
        assert summary.return_code == alone.return_code


def test_a_foreign_file_changed_since_is_scanned_and_gives_the_right_answer(
    tree: Path, tmp_path: Path, parsed: Counter[str]
) -> None:
    """`MetricsService.start` converts as an override of `Service.start`; once
    `Service` calls it `begin`, it does not: the index file's facts of the changed
    `services/base.py` must not be used."""
    k = shard_of(tree / METRICS, tree, 3)
    assert shard_of(tree / BASE, tree, 3) != k
    index = _index(tmp_path / "i.bin")
    before = {r.path: r for r in runner.run(_shard_run(k, None)).results}
    assert before[METRICS].changed
    base = tree / BASE
    base.write_text(base.read_text().replace("def start(", "def begin("))
    whole = runner.run(runner.Request((Path("."),), config.load([tree])))
    expected = {r.path: r for r in whole.results}
    shared = SharedIndex.read(index, config.load([tree]))
    parsed.clear()
    summary = runner.run(_shard_run(k, shared))
    assert summary.stats["shared_stale"] == 1
    assert parsed[BASE] == 1, "the changed foreign file is parsed"
    assert {r.path: r for r in summary.results}[METRICS] == expected[METRICS]
    assert not expected[METRICS].changed


def test_the_index_command_takes_the_same_options_as_check(
    tree: Path, tmp_path: Path
) -> None:
    write(tree, "skipped/mod.py", "from services.base import Service\n")
    index = _index(tmp_path / "i.bin", "--exclude", "skipped/", "-j", "1")
    shared = SharedIndex.read(index, config.load([tree]))
    assert "skipped/mod.py" not in shared.entries and BASE in shared.entries


# -- files that cannot be used ---------------------------------------------------


def _refused(index: Path, *options: str) -> str:
    result = invoke("check", *options, "--shard", "1/3", "--index", index, ".")
    assert result.exit_code == 2
    assert result.stdout == "", "nothing ran"
    assert str(index) in result.stderr
    return result.stderr


def test_an_index_file_for_other_codemods_is_refused(
    tree: Path, tmp_path: Path
) -> None:
    index = _index(tmp_path / "i.bin", "--select", "TG002")
    message = _refused(index, "--select", "TG002,TG005")
    assert "written for TG002, but this run selects TG002, TG005" in message


def test_an_index_file_for_other_options_is_refused(tree: Path, tmp_path: Path) -> None:
    index = _index(tmp_path / "i.bin")
    write(tree, "pyproject.toml", '[tool.codemods]\ntaskgroup-param = "group"\n')
    assert "written with other codemod options" in _refused(index)


def test_an_index_file_of_another_version_is_refused(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _index(tmp_path / "i.bin")
    monkeypatch.setattr(shared_index, "__version__", "99.0")
    message = _refused(index)
    assert "written by codemods 0.1.0, this is 99.0" in message


def test_a_missing_or_damaged_index_file_is_refused(tree: Path, tmp_path: Path) -> None:
    assert "No such file" in _refused(tmp_path / "absent.bin")
    index = _index(tmp_path / "i.bin")
    data = index.read_bytes()
    index.write_bytes(data[: len(data) // 2])
    assert "corrupt index file" in _refused(index)
    index.write_text('{"version": 1}')
    assert f"not a version {FORMAT} `codemods index` file" in _refused(index)


class _Payload:
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.system, ("touch pwned",)


def test_an_index_file_runs_no_code(tree: Path, tmp_path: Path) -> None:
    index = tmp_path / "i.bin"
    body = ("0.1.0", "digest", (), {"a.py": _Payload()})
    index.write_bytes(MAGIC + pickle.dumps(body))
    assert "corrupt index file" in _refused(index)
    assert not (tree / "pwned").exists()


def test_the_index_file_is_replaced_as_a_whole(tree: Path, tmp_path: Path) -> None:
    index = tmp_path / "i.bin"
    index.write_bytes(b"old")
    _index(index)
    assert index.read_bytes().startswith(MAGIC)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".i.bin")] == []
    out = invoke("index", "--out", tmp_path / "missing" / "i.bin", ".")
    assert out.exit_code == 2 and "cannot write" in out.stderr
