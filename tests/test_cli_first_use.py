"""Issue 24's first-use defects, each run through the real command."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.support.cli import TRACKED, invoke, write


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "app/service.py", TRACKED)
    write(tmp_path, "app/clean.py", "x = 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_shard_with_nothing_to_change_merges(repo: Path) -> None:
    # Shard "a" changes service.py; shard "b" has nothing to change: an empty patch.
    for name, path in (("a", "app/service.py"), ("b", "app/clean.py")):
        shard = invoke("run", "--format", "json", "--patch", f"{name}.patch", path)
        assert shard.exit_code == 0, shard.stderr
        Path(f"{name}.json").write_text(shard.stdout)
    assert Path("b.patch").read_bytes() == b""

    merged = invoke(
        "merge-reports",
        "a.json",
        "b.json",
        "--with-patch",
        "a.patch",
        "--with-patch",
        "b.patch",
        "--patch",
        "all.patch",
    )

    assert merged.exit_code == 0, merged.stderr
    assert Path("all.patch").read_bytes() == Path("a.patch").read_bytes()
    assert json.loads(merged.stdout)["summary"]["files_scanned"] == 2
    # One atomic-write helper: the merged patch is as readable as run --patch's.
    mode = stat.S_IMODE(Path("all.patch").stat().st_mode)
    assert mode == stat.S_IMODE(Path("a.patch").stat().st_mode)
    assert mode & 0o044 == 0o044


@pytest.mark.parametrize("mode", ["run", "check"])
def test_sarif_and_github_report_what_json_lists(repo: Path, mode: str) -> None:
    listed = json.loads(invoke(mode, "--format", "json", ".").stdout)
    expected = sorted(
        (entry["path"], finding["line"], finding["rule"])
        for entry in listed["files"]
        for finding in entry["findings"]
    )
    assert len(expected) == 2

    sarif = json.loads(invoke(mode, "--format", "sarif", ".").stdout)
    reported = sorted(
        (
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["ruleId"],
        )
        for result in sarif["runs"][0]["results"]
    )
    assert reported == expected

    github = invoke(mode, "--format", "github", ".").stdout.splitlines()
    assert (
        sorted(
            (
                line.split("file=")[1].split(",")[0],
                int(line.split("line=")[1].split(",")[0]),
                line.split("title=")[1].split(" ")[0],
            )
            for line in github
        )
        == expected
    )


def test_an_absolute_path_gives_no_doubled_slash(
    repo: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    service = (repo / "app" / "service.py").resolve()
    result = invoke("run", service)
    name = service.as_posix().lstrip("/")
    assert result.stdout.splitlines()[:2] == [f"--- a/{name}", f"+++ b/{name}"]


def test_control_characters_in_file_names_are_escaped(repo: Path) -> None:
    write(repo, "hostile/x\x1b[31mred\r.py", TRACKED)
    check = invoke("check", "hostile")
    dry = invoke("run", "hostile")
    for output in (check.stdout, check.stderr, dry.stdout, dry.stderr):
        assert "\x1b" not in output and "\r" not in output
    assert "hostile/x\\x1b[31mred\\x0d.py:11:5: TG001" in check.stdout
    assert dry.stdout.startswith("--- a/hostile/x\\x1b[31mred\\x0d.py\n")


def test_piped_tables_have_no_trailing_spaces(repo: Path) -> None:
    outputs = [invoke("check", "."), invoke("list"), invoke("explain", "TG001")]
    # A diff's blank context line is one space by definition: only its summary counts.
    texts = [text for result in outputs for text in (result.stdout, result.stderr)]
    texts.append(invoke("run", ".").stderr)
    assert "codemod               safety  fixable  to decide" in texts[1]
    for text in texts:
        for line in text.splitlines():
            assert line == line.rstrip(), repr(line)


def test_top_level_help_shows_whole_sentences() -> None:
    result = invoke("--help")
    commands = result.stdout.split("Commands:")[1].strip().splitlines()
    assert [line.split()[0] for line in commands] == [
        "check",
        "demo",
        "explain",
        "index",
        "list",
        "merge-reports",
        "run",
        "validate",
    ]
    for line in commands:
        _, description = line.split(maxsplit=1)
        assert not description.endswith("..."), line
        assert description.endswith("."), line


def test_add_noqa_suppresses_every_finding_and_check_then_passes(repo: Path) -> None:
    # service.py has a fixable finding (line 11) and one to decide (line 15).
    added = invoke("check", "--add-noqa", ".")
    assert added.exit_code == 0, added.stderr
    assert added.stderr.splitlines()[0] == "added 2 noqa directives to 1 file"
    text = (repo / "app" / "service.py").read_text()
    assert 'track_task(tick(), name="tick")  # noqa: TG001\n' in text
    assert "track_task(tick())  # noqa: TG001\n" in text
    check = invoke("check", ".")
    assert check.exit_code == 0, check.stdout
    assert check.stdout == ""
