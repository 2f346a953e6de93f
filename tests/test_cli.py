"""The command line as a user drives it: exit codes, output lines, files on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import TRACKED, invoke, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(tmp_path, "app/service.py", TRACKED)
    write(tmp_path, "app/clean.py", "x = 1\n")
    return tmp_path


def test_check_run_write_cycle(repo: Path) -> None:
    service = repo / "app" / "service.py"
    original = service.read_bytes()

    check = invoke("check", repo)
    assert check.exit_code == 1
    assert f"{_shown(service)}: would be changed by TG001" in check.stdout
    assert f"{_shown(service)}:11:5: TG001 replace `track_task()`" in check.stdout
    assert (
        f"{_shown(service)}:15:5: TG001 `track_task()` has no TaskGroup" in check.stdout
    )

    dry = invoke("run", repo)
    assert dry.exit_code == 0
    assert '-    track_task(tick(), name="tick")' in dry.stdout
    assert '+    tg.create_task(tick(), name="tick")' in dry.stdout
    assert service.read_bytes() == original, "a dry run must not touch the file"

    write_run = invoke("run", "--write", repo)
    assert write_run.exit_code == 0
    assert b'tg.create_task(tick(), name="tick")' in service.read_bytes()

    again = invoke("run", repo)
    assert again.exit_code == 0
    assert again.stdout.count("+++") == 0, "a second run shows no diff"

    final = invoke("check", repo)
    assert final.exit_code == 1, "the sync caller stays a finding a person must resolve"
    lines = [line for line in final.stdout.splitlines() if line]
    assert lines == [
        f"{_shown(service)}:15:5: TG001 `track_task()` has no TaskGroup in scope: pass one "
        "in, or let TG002 convert the enclosing lifecycle method"
    ]


def test_check_passes_when_nothing_is_left(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.py",
        "import asyncio\n\n\nasync def f(tg: asyncio.TaskGroup) -> None:\n    pass\n",
    )
    result = invoke("check", tmp_path)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "1 file scanned, 0 would change, 0 findings, 0 errors" in result.stderr


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


LATIN1 = """
# -*- coding: latin-1 -*-
import asyncio

from app.task_tracker import track_task

GREETING = "olá, café"


async def run(tg: asyncio.TaskGroup) -> None:
    track_task(asyncio.sleep(0))
"""


def test_encodings_newlines_and_errors(tmp_path: Path) -> None:
    broken = write(
        tmp_path, "broken.py", "from app.task_tracker import track_task\nx = (\n"
    )
    latin = write(tmp_path, "latin.py", LATIN1, encoding="latin-1")
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(TRACKED.lstrip("\n").replace("\n", "\r\n").encode())
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + TRACKED.lstrip("\n").encode())
    write(tmp_path, ".gitignore", "ignored/\n")
    ignored = write(
        tmp_path,
        "ignored/legacy.py",
        "from app.task_tracker import track_task\nx = (\n",
    )
    (tmp_path / ".git").mkdir()

    result = invoke("run", "--write", tmp_path)

    assert result.exit_code == 3
    assert f"{_shown(broken)}:2:5: parse error: '(' was never closed" in result.stderr
    assert "ignored" not in result.stdout + result.stderr
    assert ignored.read_bytes() == b"from app.task_tracker import track_task\nx = (\n"

    latin_bytes = latin.read_bytes()
    assert "olá, café".encode("latin-1") in latin_bytes
    assert b"tg.create_task(asyncio.sleep(0))" in latin_bytes
    assert latin_bytes.startswith(b"# -*- coding: latin-1 -*-\n")

    crlf_bytes = crlf.read_bytes()
    assert b'tg.create_task(tick(), name="tick")\r\n' in crlf_bytes
    assert b"\n" not in crlf_bytes.replace(b"\r\n", b"")

    bom_bytes = bom.read_bytes()
    assert bom_bytes.startswith(b"\xef\xbb\xbfimport asyncio\n")
    assert b"tg.create_task(tick()" in bom_bytes


def test_untouched_text_is_byte_identical(tmp_path: Path) -> None:
    # LibCST prints `except ValueError :` without its space (upstream issue 1457): a line
    # no codemod touched must keep it, in a changed file and in an unchanged one.
    source = (
        TRACKED
        + "\n\ndef g() -> None:\n    try:\n        pass\n    except ValueError :\n        pass\n"
    )
    changed = write(tmp_path, "changed.py", source)
    unchanged = write(
        tmp_path,
        "unchanged.py",
        source.replace(
            "async def run(tg: asyncio.TaskGroup)", "async def run()"
        ).replace('    track_task(tick(), name="tick")\n', "    pass\n"),
    )
    before = unchanged.read_bytes()
    result = invoke("run", "--write", tmp_path)
    assert result.exit_code == 0
    assert b"    except ValueError :\n" in changed.read_bytes()
    assert b"tg.create_task" in changed.read_bytes()
    assert unchanged.read_bytes() == before


def test_json_format(repo: Path) -> None:
    result = invoke("run", "--format", "json", repo)
    document = json.loads(result.stdout)
    assert set(document) == {"version", "mode", "files", "summary"}
    assert document["version"] == 1
    assert document["summary"] == {
        "files_scanned": 2,
        "files_changed": 1,
        "findings": 2,
        "errors": 0,
    }
    (entry,) = document["files"]
    assert set(entry) == {"path", "changed", "findings", "error", "diff"}
    assert entry["changed"] is True and entry["error"] is None
    assert entry["diff"].startswith("--- a/")
    for finding in entry["findings"]:
        assert set(finding) == {
            "rule",
            "line",
            "col",
            "message",
            "fixable",
            "applicability",
        }
    assert [f["fixable"] for f in entry["findings"]] == [True, False]
    check = json.loads(invoke("check", "--format", "json", repo).stdout)
    assert "diff" not in check["files"][0]


SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "sarif"
    / "sarif-schema-2.1.0.json"
)


def test_sarif_format_validates(repo: Path) -> None:
    if not SCHEMA.is_file():
        pytest.skip(
            f"SARIF schema not found at {SCHEMA} (../shared/data/sarif is not in this checkout)"
        )
    import jsonschema

    write(repo, "bad.py", "from app.task_tracker import track_task\nx = (\n")
    result = invoke("check", "--format", "sarif", repo)
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "TG001" in rule_ids
    assert {r["ruleId"] for r in run["results"]} == {"TG001"}
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0][
        "physicalLocation"
    ]["artifactLocation"]["uri"].endswith("bad.py")


def test_github_format(repo: Path) -> None:
    result = invoke("check", "--format", "github", repo)
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("::error file=")
        head, _, message = line.partition("::")[2].partition("::")
        assert message
        fields = dict(
            part.split("=", 1) for part in head.removeprefix("error ").split(",")
        )
        assert set(fields) == {"file", "line", "col", "title"}
        assert fields["title"] == "TG001 legacy-tracker"
        assert int(fields["line"]) > 0


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('select = ["TG001"]\nbogus = 1\n', "unknown key 'bogus'"),
        ('jobs = "two"\n', "'jobs' must be an integer"),
        ('select = ["TG999"]\n', "unknown codemod 'TG999'"),
        (
            "[tool.codemods.TG001]\nnope = 1\n",
            "unknown key 'nope' in [tool.codemods.TG001]",
        ),
    ],
)
def test_invalid_configuration_exits_2(
    tmp_path: Path, table: str, expected: str
) -> None:
    header = "" if table.startswith("[") else "[tool.codemods]\n"
    (tmp_path / "pyproject.toml").write_text(header + table)
    write(tmp_path, "a.py", TRACKED)
    result = invoke("check", tmp_path)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "pyproject.toml" in result.stderr


def test_invalid_toml_and_missing_path_exit_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.codemods\n")
    result = invoke("check", tmp_path)
    assert result.exit_code == 2 and "not valid TOML" in result.stderr
    missing = invoke("check", tmp_path / "elsewhere" / "nope")
    assert missing.exit_code == 2 and "no such file or directory" in missing.stderr


def test_configuration_selects_and_excludes(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.codemods]\nexclude = ["generated/"]\ntrackers = ["spawn_later"]\n'
    )
    write(tmp_path, "generated/a.py", TRACKED)
    write(tmp_path, "b.py", TRACKED.replace("track_task", "spawn_later"))
    write(tmp_path, "c.py", TRACKED)
    result = invoke("check", tmp_path)
    assert "generated" not in result.stdout
    assert "b.py:11:5: TG001 replace `spawn_later()`" in result.stdout
    assert "c.py" not in result.stdout, (
        "track_task is not a tracker under this configuration"
    )


def test_list_and_explain() -> None:
    listing = invoke("list", "--format", "json")
    rows = json.loads(listing.stdout)
    assert {"code": "TG001", "name": "legacy-tracker"}.items() <= rows[
        [r["code"] for r in rows].index("TG001")
    ].items()
    for key in ("TG001", "legacy-tracker"):
        page = invoke("explain", key).stdout
        for heading in (
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## Fix safety",
        ):
            assert heading in page
    unknown = invoke("explain", "TG999")
    assert unknown.exit_code == 2 and "unknown codemod 'TG999'" in unknown.stderr


def test_module_entry_point_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codemods", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("codemods, version ")
