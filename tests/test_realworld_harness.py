"""The real-world harness's own logic (benchmarks/realworld): verdicts that survive
reruns, diff hunks, what a project declares, the checks on a written tree, and one run
of the whole pipeline on a tiny fake project (no download, no test venv)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from benchmarks.realworld import (
    hunks,
    pipeline,
    projects,
    report,
    settings,
    source_checks,
    test_suites,
    verdicts,
)

DIFF = "\n".join(
    [
        "@@ -1,5 +1,6 @@",
        " import asyncio",
        "+from typing import Any",
        " ",
        " ",
        " async def main() -> None:",
        "@@ -8,3 +9,4 @@",
        " async def job() -> None:",
        "-    asyncio.create_task(other())",
        "+    task = asyncio.create_task(other())",
        "+    keep(task)",
    ]
)


def test_verdicts_survive_a_rerun_and_new_items_come_in_blank(tmp_path: Path) -> None:
    path = tmp_path / "verdicts.tsv"
    judged = ("proj", "a.py", 3, "TG003")
    verdicts.save({judged: verdicts.Verdict("breaking", "loses the task")}, path)
    new = ("proj", "a.py", 9, "hunk")

    merged = verdicts.merge(verdicts.load(path), [judged, new])
    verdicts.save(merged, path)

    again = verdicts.load(path)
    assert again[judged] == verdicts.Verdict("breaking", "loses the task")
    assert again[new] == verdicts.Verdict()
    assert verdicts.counts(again, [judged, new]) == {
        "correct": 0,
        "false positive": 0,
        "breaking": 1,
        "": 1,
    }


def test_a_misspelt_verdict_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "verdicts.tsv"
    path.write_text(
        "project\tpath\tline\trule\tverdict\tnote\n"
        "proj\ta.py\t3\tTG003\tcorrect\t\n"
        "proj\ta.py\t4\tTG003\tbroken\t\n"
    )
    with pytest.raises(ValueError, match=r"verdicts.tsv:3: verdict 'broken'"):
        verdicts.load(path)


def test_hunks_are_keyed_by_their_first_changed_line() -> None:
    first, second = hunks.split("pkg/mod.py", DIFF)

    assert (first.line, first.old_start, first.old_length) == (2, 1, 5)
    assert first.added == ["from typing import Any"]
    assert (second.line, second.removed) == (9, ["    asyncio.create_task(other())"])


def test_a_hunk_takes_the_codes_of_the_findings_inside_it_else_the_one_above() -> None:
    first, second = hunks.split("pkg/mod.py", DIFF)
    found = [
        {"path": "pkg/mod.py", "line": 4, "rule": "TG003", "fixable": True},
        {"path": "pkg/mod.py", "line": 9, "rule": "TG001", "fixable": False},
        {"path": "other.py", "line": 9, "rule": "TG002", "fixable": True},
    ]
    assert hunks.rules_in(first, found) == ["TG003"]
    assert hunks.rules_in(second, found) == ["TG003"]
    assert hunks.rules_in(first, found[1:]) == []


@pytest.mark.parametrize(
    ("specifier", "lowest"),
    [
        pytest.param(">=3.8", (3, 8), id="at-least"),
        pytest.param(">= 3.10, <4", (3, 10), id="spaced-range"),
        pytest.param("~=3.10", (3, 10), id="compatible"),
        pytest.param(">3.9", (3, 10), id="greater"),
        pytest.param("!=2.7.*", None, id="no-lower-bound"),
    ],
)
def test_lowest_python_of_a_specifier(
    specifier: str, lowest: tuple[int, int] | None
) -> None:
    assert settings.lowest_python(specifier) == lowest


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "pyproject.toml",
            "[project]\nrequires-python = '>=3.9'\n",
            ((3, 9), "pyproject.toml [project] requires-python"),
            id="pyproject",
        ),
        pytest.param(
            "setup.cfg",
            "[options]\npython_requires = >=3.8\n",
            ((3, 8), "setup.cfg python_requires"),
            id="setup-cfg",
        ),
        pytest.param(
            "setup.py",
            "setup(name='x', python_requires=\"~=3.10\")\n",
            ((3, 10), "setup.py python_requires"),
            id="setup-py",
        ),
        pytest.param(
            "PKG-INFO",
            "Metadata-Version: 2.1\nName: x\nRequires-Python: >=3.7\n",
            ((3, 7), "PKG-INFO Requires-Python"),
            id="sdist-metadata",
        ),
        pytest.param(
            "pyproject.toml",
            "[tool.black]\ntarget-version = ['py311', 'py310']\n",
            ((3, 10), "pyproject.toml [tool.black] target-version"),
            id="black-targets",
        ),
    ],
)
def test_declared_python(
    tmp_path: Path, name: str, text: str, expected: tuple[tuple[int, int], str]
) -> None:
    (tmp_path / name).write_text(text)
    declared = settings.declared_python(tmp_path)
    assert declared is not None
    assert (declared.version, declared.source) == expected


def test_no_declared_python(tmp_path: Path) -> None:
    assert settings.declared_python(tmp_path) is None


def test_line_length_prefers_ruff_then_black_then_setup_cfg(tmp_path: Path) -> None:
    assert settings.line_length(tmp_path) == settings.LineLength(88, "default")
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    assert settings.line_length(tmp_path).value == 100
    (tmp_path / "pyproject.toml").write_text(
        "[tool.black]\nline-length = 99\n[tool.ruff]\nline-length = 120\n"
    )
    assert settings.line_length(tmp_path) == settings.LineLength(
        120, "pyproject.toml [tool.ruff] line-length"
    )


def test_compile_error_names_what_fails() -> None:
    generator_in_async = b"async def start():\n    yield from other()\n"
    error = source_checks.compile_error(generator_in_async, "m.py", None)
    assert error is not None
    assert "'yield from' inside async function" in error

    match_statement = b"match x:\n    case 1:\n        pass\n"
    assert source_checks.compile_error(match_statement, "m.py", None) is None
    too_new = source_checks.compile_error(match_statement, "m.py", (3, 9))
    assert too_new is not None
    assert too_new.startswith("ast.parse(feature_version=(3, 9))")


def test_lost_comments_and_added_taskgroup() -> None:
    before = "spawn(job())  # pragma: no cover\n# keep\n"
    after = "if tg is None:\n    spawn(job())\n# keep\n"
    assert source_checks.lost_comments(before, after) == ["# pragma: no cover"]
    assert source_checks.lost_comments(before, before) == []
    assert source_checks.taskgroup_added("x = 1\n", "tg: asyncio.TaskGroup\n")
    assert not source_checks.taskgroup_added(
        "asyncio.TaskGroup\n", "asyncio.TaskGroup\n"
    )


def test_long_added_lines_ignore_lines_that_were_already_there() -> None:
    hunk = hunks.split(
        "m.py",
        "@@ -1,1 +1,2 @@\n-" + "a" * 100 + "\n+" + "a" * 100 + "\n+" + "b" * 90 + "\n",
    )[0]
    assert source_checks.long_added_lines(hunk, 88) == ["b" * 90]


def test_junit_outcomes_and_lost_passes(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(
        "<testsuites><testsuite>"
        '<testcase classname="t" name="ok"/>'
        '<testcase classname="t" name="bad"><failure message="x"/></testcase>'
        '<testcase classname="t" name="skip"><skipped/></testcase>'
        '<testcase classname="t" name="boom"><error message="x"/></testcase>'
        "</testsuite></testsuites>"
    )
    outcomes = test_suites.outcomes(junit)
    assert outcomes == {
        "t::ok": "passed",
        "t::bad": "failed",
        "t::skip": "skipped",
        "t::boom": "error",
    }
    after = {"outcomes": {**outcomes, "t::ok": "failed"}}
    assert test_suites.lost_passes({"outcomes": outcomes}, after) == ["t::ok"]


def test_the_committed_project_list_is_valid_and_varied() -> None:
    listed = projects.load()
    assert len(listed) >= 10
    assert {p.kind for p in listed} == projects.KINDS
    assert all(p.tests.how for p in listed)
    assert all(p.tests.command for p in listed if p.tests.run)


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(
        '[[project]]\nname = "x"\nversion = "1"\nkind = "library"\nwhy = "because"\n'
    )
    with pytest.raises(ValueError, match=r"project 1 \(x\): kind 'library'"):
        projects.load(path)


FAKE_MODULE = """\
import asyncio


async def job() -> None:
    await asyncio.sleep(0)


async def serve() -> None:
    asyncio.create_task(job())
"""


def _fake_sdist(workdir: Path, requires: str = ">=3.11") -> projects.Project:
    source = workdir / "build" / "fakeproj-1.0"
    (source / "fakeproj").mkdir(parents=True)
    (source / "pyproject.toml").write_text(
        '[project]\nname = "fakeproj"\nversion = "1.0"\n'
        f'requires-python = "{requires}"\n'
    )
    (source / "fakeproj" / "__init__.py").write_text("")
    (source / "fakeproj" / "serve.py").write_text(FAKE_MODULE)
    (workdir / "sdists").mkdir()
    with tarfile.open(workdir / "sdists" / "fakeproj-1.0.tar.gz", "w:gz") as archive:
        archive.add(source, arcname="fakeproj-1.0")
    return projects.Project(
        "fakeproj",
        "1.0",
        "application",
        "a dangling task",
        projects.TestSuite(False, "none"),
    )


def test_the_pipeline_on_a_tiny_project_and_its_report(tmp_path: Path) -> None:
    project = _fake_sdist(tmp_path)

    result = pipeline.migrate(project, tmp_path, jobs=1)
    result["tests"] = pipeline.test(project, tmp_path, result, always=False)

    assert result["files"] == 2
    assert result["python"] == {
        "target": [3, 11],
        "source": "pyproject.toml [project] requires-python",
    }
    assert "TG003" in {f["rule"] for f in result["findings"]}
    assert result["hunks"]
    assert all(h["path"] == "fakeproj/serve.py" for h in result["hunks"])
    assert result["write"]["files_changed"] == ["fakeproj/serve.py"]
    assert result["second_write"]["files_changed"] == []
    assert result["compile"]["broken_by_write"] == {}
    assert [(s["path"], s["line"]) for s in result["ruf006"]["sites"]] == [
        ("fakeproj/serve.py", 9)
    ]
    assert result["ruf006"]["missed_by_tg003"] == []
    assert result["tests"] == {"status": "not run", "how": "none"}
    unpacked = tmp_path / "src" / "fakeproj-1.0" / "fakeproj" / "serve.py"
    assert unpacked.read_text() == FAKE_MODULE

    keys = report.keys_of(result)
    table = verdicts.merge({}, keys)
    table[keys[0]] = verdicts.Verdict("correct", "kept by a strong reference")
    page = report.render(
        [result], table, {"date": "today"}, "## Reading\n\nAll good.\n"
    )
    assert "### fakeproj 1.0" in page
    assert "| fakeproj | 1.0 | application | 2 | ≥3.11 |" in page
    assert "kept by a strong reference" in page
    assert (
        page.index("## Summary") < page.index("## Reading") < page.index("### fakeproj")
    )
    assert result["hunks"][0]["text"] in page


def test_a_project_on_an_older_python_is_refused_then_evaluated_as_311(
    tmp_path: Path,
) -> None:
    result = pipeline.migrate(_fake_sdist(tmp_path, ">=3.9"), tmp_path, jobs=1)

    assert result["refused"] is not None and "Python 3.11" in result["refused"]
    # The rules were still exercised, with the override the refusal names.
    assert "TG003" in {f["rule"] for f in result["findings"]}
    assert result["write"]["files_changed"] == ["fakeproj/serve.py"]


def test_verdicts_and_results_are_written_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.realworld import __main__ as harness

    result = pipeline.migrate(_fake_sdist(tmp_path), tmp_path, jobs=1)
    result["tests"] = {"status": "not run", "how": "none"}
    judged = report.keys_of(result)[0]
    table = tmp_path / "verdicts.tsv"
    verdicts.save({judged: verdicts.Verdict("correct", "read")}, table)
    before = table.read_bytes()
    files = ["--results", str(tmp_path / "results.json"), "--verdicts", str(table)]
    files += ["--doc", str(tmp_path / "page.md")]

    harness.write_outputs(harness.parse_args(files), [result], {})
    assert table.read_bytes() == before
    assert (tmp_path / "results.json").exists()
    told = capsys.readouterr().err
    new = len(report.keys_of(result)) - 1
    assert f"{new} item(s) have no row in {table} (left unchanged)" in told
    assert "**unjudged**" in (tmp_path / "page.md").read_text()

    (tmp_path / "results.json").unlink()
    asked = harness.parse_args([*files, "--report-only", "--add-rows"])
    harness.write_outputs(asked, [result], {})
    assert not (tmp_path / "results.json").exists(), "only read by --report-only"
    rows = verdicts.load(table)
    assert rows[judged] == verdicts.Verdict("correct", "read")
    assert set(rows) == set(report.keys_of(result))
    assert sum(row == verdicts.Verdict() for row in rows.values()) == new
    assert "have no row" not in capsys.readouterr().err
