"""Which files a run takes: .gitignore (nested, negated), globs, skipped dirs, symlinks."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from codemods.core.settings import ConfigError, Settings
from codemods.engine.discovery import discover, module_name


def _tree(root: Path, *files: str) -> None:
    for relative in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def _found(root: Path, settings: Settings | None = None, *paths: Path) -> list[str]:
    settings = settings or Settings(root=str(root))
    result = discover(list(paths) or [root], settings)
    return [p.relative_to(root).as_posix() for p in result.files]


def test_sorted_and_skips_tool_directories(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        "b.py", "a.py", "pkg/c.py", "pkg/z/d.py", "notes.txt", "stub.pyi",
        ".git/hooks/x.py", "node_modules/m.py", "build/b.py", "dist/d.py",
        "pkg/__pycache__/c.py", "env/lib/site.py", ".tox/t.py",
    )  # fmt: skip
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    assert _found(tmp_path) == ["a.py", "b.py", "pkg/c.py", "pkg/z/d.py"]


def test_nested_gitignore_with_negation(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _tree(
        tmp_path,
        "keep.py",
        "gen_a.py",
        "sub/gen_b.py",
        "sub/gen_keep.py",
        "sub/deep/x.py",
    )
    (tmp_path / ".gitignore").write_text("gen_*.py\n")
    (tmp_path / "sub" / ".gitignore").write_text("!gen_keep.py\ndeep/\n")
    assert _found(tmp_path) == ["keep.py", "sub/gen_keep.py"]


def test_gitignore_of_enclosing_repository_applies_below(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("src/generated/\n")
    _tree(tmp_path, "src/app.py", "src/generated/g.py")
    result = discover([tmp_path / "src"], Settings(root=str(tmp_path)))
    assert [p.name for p in result.files] == ["app.py"]


def test_a_repository_inside_another_obeys_only_its_own_gitignore(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("inner/\nskipped.py\n")
    inner = tmp_path / "inner"
    _tree(inner, "app.py", "skipped.py", "local.py")
    (inner / ".git").mkdir()
    (inner / ".gitignore").write_text("local.py\n")
    result = discover([inner], Settings(root=str(inner)))
    assert [p.name for p in result.files] == ["app.py", "skipped.py"]


def test_exclude_and_include_globs(tmp_path: Path) -> None:
    _tree(tmp_path, "a.py", "migrations/m.py", "stub.pyi", "x_pb2.py")
    settings = Settings(
        root=str(tmp_path), exclude=("migrations/", "*_pb2.py"), include=("*.pyi",)
    )
    assert _found(tmp_path, settings) == ["a.py", "stub.pyi"]


def test_explicit_file_bypasses_gitignore_and_exclude_unless_forced(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("ignored.py\n")
    _tree(tmp_path, "ignored.py", "excluded.py")
    settings = Settings(root=str(tmp_path), exclude=("excluded.py",))
    named = (tmp_path / "ignored.py", tmp_path / "excluded.py")
    assert _found(tmp_path, settings, *named) == ["excluded.py", "ignored.py"]
    forced = replace(settings, force_exclude=True)
    assert _found(tmp_path, forced, *named) == ["ignored.py"]


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    _tree(root, "real.py")
    _tree(outside, "secret.py")
    (root / "inside_link.py").symlink_to(root / "real.py")
    (root / "outside_link.py").symlink_to(outside / "secret.py")
    (root / "outside_dir").symlink_to(outside, target_is_directory=True)
    (root / "loop_a.py").symlink_to(root / "loop_b.py")
    (root / "loop_b.py").symlink_to(root / "loop_a.py")
    result = discover([root], Settings(root=str(root)))
    assert [p.name for p in result.files] == ["real.py"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert (
        reasons["outside_link.py"] == "symlink pointing outside the root, not followed"
    )
    assert reasons["outside_dir"] == "symlink pointing outside the root, not followed"
    assert reasons["loop_a.py"] == "symlink loop, not followed"
    assert "inside_link.py" not in reasons, (
        "a link inside the root is just not taken twice"
    )


def test_directory_named_like_a_module_is_walked(tmp_path: Path) -> None:
    _tree(tmp_path, "weird.py/inner.py")
    assert _found(tmp_path) == ["weird.py/inner.py"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file or directory"):
        discover([tmp_path / "missing"], Settings(root=str(tmp_path)))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any directory")
def test_unreadable_directory_is_noted(tmp_path: Path) -> None:
    _tree(tmp_path, "a.py", "locked/b.py")
    (tmp_path / "locked").chmod(0)
    try:
        result = discover([tmp_path], Settings(root=str(tmp_path)))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [s.reason for s in result.skipped] == ["permission denied"]


def test_module_names_follow_packages(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        "app/__init__.py",
        "app/core/__init__.py",
        "app/core/x.py",
        "script.py",
    )
    assert module_name(tmp_path / "app" / "core" / "x.py") == "app.core.x"
    assert module_name(tmp_path / "app" / "core" / "__init__.py") == "app.core"
    assert module_name(tmp_path / "script.py") == "script"


def test_the_walk_names_modules_as_module_name_does(tmp_path: Path) -> None:
    """The walk works module names out from the entries it lists; they must be the ones
    ``module_name`` finds by looking at the disk, wherever the walk starts."""
    _tree(
        tmp_path,
        "outer/__init__.py",
        "outer/app/__init__.py",
        "outer/app/core/__init__.py",
        "outer/app/core/x.py",
        "outer/app/core/types.pyi",
        "outer/app/plain/y.py",  # a directory without __init__.py: not a package
        "outer/app/plain/deeper/__init__.py",
        "outer/app/plain/deeper/z.py",
        "outer/app/fake/__init__.py/inner.py",  # a directory named __init__.py
        "outer/app/fake/w.py",
        "script.py",
    )
    for start in (
        tmp_path,
        tmp_path / "outer" / "app",
        tmp_path / "outer" / "app" / "core",
    ):
        found = discover([start], Settings(root=str(tmp_path)))
        assert found.paths
        assert {path: module_name(path) for path in found.paths} == found.modules
    found = discover([tmp_path], Settings(root=str(tmp_path)))
    modules = {
        Path(path).relative_to(tmp_path).as_posix(): m
        for path, m in found.modules.items()
    }
    assert modules["outer/app/core/x.py"] == "outer.app.core.x"
    assert modules["outer/app/plain/deeper/z.py"] == "deeper.z"
    assert modules["outer/app/fake/w.py"] == "w"
    explicit = tmp_path / "outer" / "app" / "core" / "x.py"
    found = discover([explicit], Settings(root=str(tmp_path)))
    assert list(found.modules.values()) == ["outer.app.core.x"]


def test_exclude_is_relative_to_the_configuration(tmp_path: Path) -> None:
    _tree(tmp_path, "a/skip.py", "b/skip.py")
    settings = replace(Settings(), root=str(tmp_path), exclude=("a/skip.py",))
    assert _found(tmp_path, settings) == ["b/skip.py"]
