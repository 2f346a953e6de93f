"""The runner's phases for cross-file codemods: scan, rounds, finalize, commit.

Each file is parsed once per run (a tree is parsed again only when its worker could not
keep it); all codemods in one run give what running them one at a time gives; a second
run changes nothing; and a worker that kept a tree is the one asked to finalize it.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import libcst
import pytest

from codemods.analysis.index import ProjectIndex
from codemods.analysis.syntax import Syntax
from codemods.core.results import FileResult, Summary
from codemods.core.settings import Settings
from codemods.engine import pool as pool_module
from codemods.engine.job import Job
from codemods.engine.parent import runner
from codemods.engine.pool import Pool, Work
from codemods.engine.tasks import Finalize, Finalized, Scan, Scanned
from codemods.engine.worker import elision
from codemods.engine.worker.phases import WorkerState
from codemods.rules import registry
from tests.support.golden import CASES, tree_cases, tree_settings
from tests.support.pool import InProcessPool

TREES = [
    CASES / "TG002" / "multimodule",
    CASES / "TG005" / "seed_lifespan",
    CASES / "TG004" / "mailroom",
]
ALL_CODES = tuple(spec.code for spec in registry.CODEMODS)
PASSER = "TG005"  # lifespan-taskgroup writes the passing of TaskGroups


def _copy(tree: Path, target: Path) -> Path:
    shutil.copytree(tree / "before", target)
    return target


def _run(root: Path, codes: tuple[str, ...], *, write: bool) -> Summary:
    settings = replace(Settings(select=codes), root=str(root))
    request = runner.Request(
        (root,), settings, mode="run" if write else "check", write=write, jobs=2
    )
    return runner.run(request)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*.py"))
    }


def test_every_file_is_parsed_once(tmp_path: Path) -> None:
    root = _copy(CASES / "TG002" / "multimodule", tmp_path / "tree")
    summary = _run(root, ("TG002",), write=False)
    stats = summary.stats
    # Ten modules: nine need parsing (the empty `app/__init__.py` spells nothing;
    # `app/workers.py` names `.start`, and every use of a converting method must be
    # seen before it converts).
    assert stats["parsed"] == 9
    assert stats["reparsed"] == 0
    # The index found callers in files no static trigger word selected.
    assert stats["rounds"] > 1 and stats["finalized"] > 0
    changed = sorted(
        Path(r.path).relative_to(root).as_posix() for r in summary.results if r.changed
    )
    assert changed == [
        "app/hooks.py",
        "app/lifespan.py",
        "app/manager.py",
        "services/audit.py",
        "services/base.py",
        "services/metrics.py",
    ]
    assert _snapshot(root) == _snapshot(CASES / "TG002" / "multimodule" / "before")


def test_findings_of_one_conversion_share_a_group(tmp_path: Path) -> None:
    root = _copy(CASES / "TG002" / "multimodule", tmp_path / "tree")
    summary = _run(root, ("TG002",), write=False)
    groups: dict[str | None, list[tuple[str, int, bool]]] = {}
    for result in summary.results:
        for finding in result.findings:
            name = Path(result.path).relative_to(root).as_posix()
            groups.setdefault(finding.group, []).append(
                (name, finding.line, finding.fixable)
            )
    assert sorted(map(str, groups)) == [
        "TG002:services.audit.EncryptedAuditTrail.start",
        "TG002:services.base.Service.start",
    ]
    audit = groups["TG002:services.audit.EncryptedAuditTrail.start"]
    assert ("app/hooks.py", 6, True) in audit  # a caller in another module
    assert ("services/audit.py", 20, True) in audit  # the signature
    assert sorted(groups["TG002:services.base.Service.start"]) == [
        ("app/lifespan.py", 16, True),
        ("services/base.py", 14, True),
        ("services/metrics.py", 11, True),
        ("services/metrics.py", 12, True),
    ]


@pytest.mark.parametrize(
    "tree", TREES, ids=[t.parent.name + "/" + t.name for t in TREES]
)
def test_one_run_equals_one_codemod_at_a_time(tree: Path, tmp_path: Path) -> None:
    together = _copy(tree, tmp_path / "together")
    _run(together, ALL_CODES, write=True)
    in_turn = _copy(tree, tmp_path / "in_turn")
    for code in ALL_CODES:
        # A codemod that gives functions a TaskGroup parameter does so only where
        # TG005 passes one in the same run (no dead plumbing): it runs with TG005.
        spec = registry.find(code)
        gains = spec is not None and spec.gains is not None and code != PASSER
        _run(in_turn, (code, PASSER) if gains else (code,), write=True)
    assert _snapshot(together) == _snapshot(in_turn)
    assert _snapshot(together) != _snapshot(tree / "before")
    again = _run(together, ALL_CODES, write=False)
    assert again.files_changed == 0
    assert again.stats["reparsed"] == 0


@pytest.mark.parametrize(
    "tree", TREES, ids=[t.parent.name + "/" + t.name for t in TREES]
)
def test_the_cross_file_pass_parses_no_file_twice(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ``libcst.parse_module`` call of a run with every codemod, counted: no
    file's text is parsed twice (whole, or with bodies elided), across all rounds, the
    index and the finalize."""
    parsed: Counter[str] = Counter()
    parse_module = libcst.parse_module
    elide = elision.elide
    # An elided text is counted as the text it was made from.
    whole: dict[str, str] = {}

    def eliding(syntax: Syntax, *args: Any) -> elision.Elided | None:
        elided = elide(syntax, *args)
        if elided is not None:
            whole[elided.text] = syntax.text
        return elided

    def counting(source: str | bytes, *args: Any, **kwargs: Any) -> libcst.Module:
        text = source if isinstance(source, str) else source.decode()
        parsed[whole.get(text, text)] += 1
        return parse_module(source, *args, **kwargs)

    monkeypatch.setattr(pool_module, "Pool", InProcessPool)
    monkeypatch.setattr(libcst, "parse_module", counting)
    monkeypatch.setattr(elision, "elide", eliding)
    root = _copy(tree, tmp_path / "tree")
    files = Counter(path.read_text("utf-8") for path in sorted(root.rglob("*.py")))
    case = next(case for case in tree_cases() if case.root == tree)
    settings = replace(tree_settings(case), select=ALL_CODES, root=str(root))
    request = runner.Request((root,), settings, mode="run", write=True, jobs=2)
    summary = runner.run(request)
    assert summary.files_changed > 0 and summary.errors == 0
    assert _snapshot(root) == {
        **_snapshot(tree / "before"),
        **_snapshot(tree / "after"),
    }
    of_files = {text: count for text, count in parsed.items() if text in files}
    assert of_files, "nothing was parsed"
    twice = [text[:60] for text, n in of_files.items() if n > files[text]]
    assert twice == [], "parsed more than once"
    assert sum(of_files.values()) == summary.stats["parsed"]
    assert summary.stats["reparsed"] == 0


def _facts_index(*scans: Scanned) -> ProjectIndex:
    settings = Settings(select=("TG002",))
    return ProjectIndex.build(
        [s.facts for s in scans if s.facts is not None], registry.index_scope(settings)
    )


def test_a_tree_the_worker_could_not_keep_is_parsed_again(tmp_path: Path) -> None:
    root = _copy(CASES / "TG002" / "multimodule", tmp_path / "tree")
    settings = replace(Settings(select=("TG002",)), root=str(root))
    caller = root / "app" / "lifespan.py"
    paths = [caller, root / "services" / "__init__.py", root / "services" / "audit.py"]
    keeping = WorkerState(Job(settings))
    forgetful = WorkerState(Job(settings, keep_budget=0))
    scans = {}
    for name, state in (("keeping", keeping), ("forgetful", forgetful)):
        scans[name] = [state.scan(path, path.name, Scan(force=True)) for path in paths]
    # The package's `__init__` asks nothing: final at once, its tree not kept.
    assert [s.holder for s in scans["keeping"]] == [os.getpid(), None, os.getpid()]
    assert [s.holder for s in scans["forgetful"]] == [None, None, None]
    # Alone, the caller cannot know `start` becomes async; with the callee (and what
    # its other receivers are, so that none blocks the conversion) it can.
    assert not scans["keeping"][0].result.changed
    others = WorkerState(Job(settings))
    receivers = [
        others.scan(path, path.name, Scan(force=True))
        for path in (
            root / "services" / f"{name}.py" for name in ("registry", "metrics", "base")
        )
    ]
    index = _facts_index(*scans["keeping"], *receivers)
    assert not index.replays(scans["keeping"][0].queries)
    index_file = tmp_path / "index.pickle"
    index_file.write_bytes(pickle.dumps(index))
    task = Finalize(str(index_file))
    kept = keeping.finalize(caller, caller.name, task)
    again = forgetful.finalize(caller, caller.name, task)
    assert (kept.reparsed, again.reparsed) == (False, True)
    assert kept.result == again.result and kept.result.changed
    assert index.replays(kept.queries)


def _whoami(path: Path, shown: str, task: object = None) -> FileResult | str:
    if path.name == "crash.py":
        os.abort()
    return f"{shown}@{os.getpid()}"


def _make_work(payload: object) -> Work:
    return _whoami


def test_pinned_items_go_to_the_worker_holding_their_state() -> None:
    with Pool(2, _make_work, None, file_timeout=30) as pool:
        # Each worker is fed two chunks at a time: four items reach both.
        first = list(pool.run([(Path(f"{n}.py"), str(n)) for n in range(4)], 1))
        pids = sorted({int(str(line).split("@")[1]) for line in first})
        assert len(pids) == 2
        pinned = {
            pid: [(Path(f"{pid}-{n}.py"), f"{pid}-{n}") for n in range(3)]
            for pid in pids
        }
        pinned[-1] = [(Path("orphan.py"), "orphan")]  # a worker that is gone
        results = list(pool.run_pinned(pinned, 1))
    assert len(results) == 7
    for line in results:
        shown, pid = str(line).split("@")
        if shown != "orphan":
            assert shown.startswith(pid)


def test_a_crash_while_pinned_costs_only_its_file() -> None:
    with Pool(1, _make_work, None, file_timeout=30) as pool:
        (line,) = list(pool.run([(Path("a.py"), "a")], 1))
        pid = int(str(line).split("@")[1])
        items = [(Path(name), name) for name in ("x.py", "crash.py", "y.py")]
        results = list(pool.run_pinned({pid: items}, 3))
    errors = [r for r in results if isinstance(r, FileResult)]
    assert [e.path for e in errors] == ["crash.py"]
    assert sorted(str(r).split("@")[0] for r in results if isinstance(r, str)) == [
        "x.py",
        "y.py",
    ]


def test_results_are_final_ones_only(tmp_path: Path) -> None:
    root = _copy(CASES / "TG005" / "seed_lifespan", tmp_path / "tree")
    settings = replace(
        Settings(select=("TG002", "TG001", "TG003", "TG005")), root=str(root)
    )
    seen: list[str] = []
    request = runner.Request((root,), settings, mode="run", write=True, jobs=2)
    summary = runner.run(request, on_result=lambda r: seen.append(r.path))
    assert sorted(seen) == sorted(r.path for r in summary.results)  # once each
    written = {Path(r.path).name for r in summary.results if r.written}
    assert written == {
        "encrypted_audit.py",
        "manager.py",
        "orchestration.py",
        "startup.py",
    }
    assert all(isinstance(r, FileResult) for r in summary.results)
    assert not any(isinstance(r, (Scanned, Finalized)) for r in summary.results)


SCRIPT = """import asyncio


class {name}:
    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(asyncio.sleep(0))


async def main() -> None:
    {name}().start()
"""


def test_files_claiming_one_module_name_keep_their_own_facts(tmp_path: Path) -> None:
    # Two scripts both importable as `main`: the index cannot tell them apart, so each
    # is transformed with its own facts only (and written).
    for folder, name in (("a", "Alpha"), ("b", "Beta")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.py").write_text(SCRIPT.format(name=name))
    summary = _run(tmp_path, ("TG002",), write=True)
    assert [r.written for r in summary.results] == [True, True]
    for folder, name in (("a", "Alpha"), ("b", "Beta")):
        text = (tmp_path / folder / "main.py").read_text()
        assert "    async def start(self, tg: asyncio.TaskGroup | None = None)" in text
        assert text.endswith(f"    await {name}().start()\n")
