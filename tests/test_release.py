"""A release anyone can install: its files and metadata, ``codemods demo``, no cache in
site-packages, and (opt-in, slow) the sdist and the wheel built from it, installed in
a fresh virtual environment where the demo runs."""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from codemods import __version__, session
from codemods.core.settings import Settings
from tests.support.cli import invoke
from tests.support.project import (
    LEGACY_APP,
    REPO,
    SOURCES,
    copy_sources,
    offline,
    opt_in,
)

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
CHANGELOG_KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
CACHE = r"(^|/)(__pycache__|\.[a-z_]+_cache)(/|$)"
DEMO_HEADER = "--- a/legacy_app/resync/core/encrypted_audit.py"


def files_below(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_license_is_the_mit_license_the_metadata_declares() -> None:
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")
    assert PYPROJECT["license"] == {"text": "MIT"}


def test_the_changelog_follows_keep_a_changelog() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/en/1.1.0/" in text
    releases = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert releases[0] == "[Unreleased]"
    kinds = re.findall(r"^### (.+)$", text, re.MULTILINE)
    assert "Added" in kinds
    assert set(kinds) <= CHANGELOG_KINDS
    for section in re.split(r"^### .+$", text, flags=re.MULTILINE)[1:]:
        assert section.strip().startswith("- "), section[:80]


def test_the_metadata_names_the_pythons_it_supports() -> None:
    # No [project.urls] yet: the project has no public home to point at.
    classifiers = PYPROJECT["classifiers"]
    minimum = PYPROJECT["requires-python"].removeprefix(">=")
    versions = [
        c.rpartition(" :: ")[2]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions[0] == minimum
    assert "Typing :: Typed" in classifiers
    assert (REPO / "codemods" / "py.typed").is_file()


def test_the_manifest_puts_in_the_sdist_what_the_tests_copy_as_sources() -> None:
    """``copy_sources`` stands for the sdist in the tests that build or install it."""
    manifest = (REPO / "MANIFEST.in").read_text().split()
    covered = set(manifest)
    for source in SOURCES:
        if source in ("pyproject.toml", "setup.py", "MANIFEST.in", "codemods"):
            continue  # always in an sdist, or the package itself
        assert source in covered, f"MANIFEST.in leaves out {source}"


def test_demo_shows_the_bundled_migration_on_a_copy(tmp_path: Path) -> None:
    destination = tmp_path / "demo"
    result = invoke("demo", "-q", destination)
    assert result.exit_code == 0, result.stderr
    assert DEMO_HEADER in result.stdout.splitlines()
    copy = destination / "legacy_app"
    assert result.stderr.splitlines()[-1].startswith(
        f"codemods: the bundled legacy app, copied to {copy.resolve()}: "
    )
    # A dry run: the copy is the bundled app as it is, and no cache was written.
    assert files_below(copy) == files_below(LEGACY_APP)
    assert not list(tmp_path.rglob(".codemods_cache"))


def test_demo_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("mine\n")
    result = invoke("demo", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"codemods: error: {tmp_path}: not an empty directory\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]


def default_cache_dir(project: Path) -> Path | None:
    """Where a run on ``project``, configured by its pyproject.toml, keeps its cache."""
    invocation = session.Invocation(
        paths=(project,),
        config_file=None,
        overrides={},
        output_format="text",
        jobs=None,
        cache=session.DEFAULT,
    )
    settings = Settings(config_path=str(project / "pyproject.toml"), root=str(project))
    return session.cache_dir(invocation, settings)


@pytest.mark.parametrize(
    "installed",
    [
        Path(sysconfig.get_paths()["purelib"])
        / "codemods/_bundled/fixtures/legacy_app",
        REPO / "codemods" / "_bundled" / "fixtures" / "legacy_app",
    ],
    ids=["site-packages", "the-package-itself"],
)
def test_no_cache_is_written_inside_installed_packages(installed: Path) -> None:
    assert default_cache_dir(installed) is None


def test_a_project_keeps_its_cache_beside_its_configuration(tmp_path: Path) -> None:
    assert default_cache_dir(tmp_path) == tmp_path / ".codemods_cache"


def run(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        cwd=cwd,
    )


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_the_sdist_builds_a_wheel_that_installs_and_runs_the_demo(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """As a release is made: the sdist from the sources, the wheel from the sdist
    (``python -m build``, isolated, as pip would), installed in a new virtualenv."""
    opt_in(request)
    sources = copy_sources(tmp_path / "src")
    # What a working checkout also holds, and no sdist may.
    for leftover in (
        "fixtures/legacy_app/.codemods_cache/v2/a.json",
        "docs/__pycache__/x.pyc",
    ):
        (sources / leftover).parent.mkdir(parents=True)
        (sources / leftover).write_text("{}")
    built = run(sys.executable, "-m", "build", "--outdir", tmp_path / "dist", sources)
    assert built.returncode == 0, built.stdout + built.stderr
    (sdist,) = (tmp_path / "dist").glob("taskgroup_codemods-*.tar.gz")
    (wheel,) = (tmp_path / "dist").glob("taskgroup_codemods-*.whl")

    prefix = f"taskgroup_codemods-{__version__}/"
    in_sdist = {name.removeprefix(prefix) for name in tarfile.open(sdist).getnames()}
    assert {
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "docs/ci-gate.md",
        "codemods/py.typed",
        "fixtures/legacy_app/pyproject.toml",
        "fixtures/realistic_app/pyproject.toml",
        "target_reference/resync/main.py",
        "tests/conformance/conftest.py",
        "tests/realistic_app/conftest.py",
        "tests/test_release.py",
        "benchmarks/run.py",
    } <= in_sdist
    assert not [name for name in in_sdist if re.search(CACHE, name)]

    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    info = f"taskgroup_codemods-{__version__}.dist-info"
    metadata = archive.read(f"{info}/METADATA").decode()
    assert "Project-URL: Changelog, " in metadata
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata
    assert {"codemods/py.typed", "codemods/commands/taskgroup.py"} <= names
    assert [n for n in names if n.startswith(info) and n.endswith("LICENSE")]

    # A new virtualenv; the dependencies come from this one (offline), last in line.
    fresh = tmp_path / "fresh"
    assert run(sys.executable, "-m", "venv", fresh).returncode == 0
    environment = offline(tmp_path / "home")
    python, codemods = fresh / "bin" / "python", fresh / "bin" / "codemods"
    install = run(
        python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel,
        env=environment,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    site = Path(
        run(
            python, "-P", "-c", "import codemods; print(codemods.__file__)",
            env=environment, cwd=tmp_path,
        ).stdout.strip()
    ).parent.parent  # fmt: skip
    assert site.is_relative_to(fresh), site

    demo = run(codemods, "demo", tmp_path / "demo", env=environment, cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert DEMO_HEADER in demo.stdout.splitlines()
    # The bundled app itself, run on where it is installed: no cache left there.
    bundled = site / "codemods" / "_bundled" / "fixtures" / "legacy_app"
    direct = run(codemods, "check", bundled, env=environment, cwd=tmp_path)
    assert direct.returncode == 1, direct.stderr
    assert not list(site.rglob(".codemods_cache"))
