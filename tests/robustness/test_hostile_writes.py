"""Writes that cannot escape the tree (issue 25, item 2 of "What to build").

A file is written only where it was read: the directory must still be the one read
(real path, device, inode) and the name in it the very file (device, inode, size,
mtime). Every case swaps something between the read and the write, as an attacker
with write access to the tree could while a run parses.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from codemods.engine import writer
from codemods.engine.files import Loaded, load_file
from codemods.engine.writer import WriteError, write_atomic
from tests.support.cli import TRACKED, write

OLD = TRACKED.lstrip("\n")
NEW = b"migrated\n"


def _read(path: Path) -> Loaded:
    loaded = load_file(path, path.name, None)
    assert isinstance(loaded, Loaded)
    return loaded


def _write(loaded: Loaded) -> None:
    write_atomic(loaded.path, NEW, expected=loaded.stat, place=loaded.place)


def _swap_for_link(tmp_path: Path, outside: Path) -> None:
    """Move ``tree/pkg`` away and put a link to ``outside`` in its place."""
    shutil.move(tmp_path / "tree" / "pkg", tmp_path / "moved")
    (tmp_path / "tree" / "pkg").symlink_to(outside, target_is_directory=True)


def _outside_twin(tmp_path: Path, inside: Path) -> Path:
    """A directory outside the tree holding a file of the same name, size and mtime."""
    outside = tmp_path / "outside"
    outside.mkdir()
    twin = outside / inside.name
    twin.write_bytes(inside.read_bytes())
    stat = inside.stat()
    os.utime(twin, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return outside


def test_a_directory_swapped_for_a_symlink_is_not_written_through(
    tmp_path: Path,
) -> None:
    target = write(tmp_path, "tree/pkg/mod.py", OLD)
    outside = _outside_twin(tmp_path, target)
    loaded = _read(target)
    _swap_for_link(tmp_path, outside)

    with pytest.raises(WriteError, match="directory replaced during the run"):
        _write(loaded)
    assert (outside / "mod.py").read_text() == OLD
    assert (tmp_path / "moved" / "mod.py").read_text() == OLD
    assert not list(outside.glob("*.codemods-tmp"))


def test_a_hard_link_in_a_swapped_directory_is_not_written(tmp_path: Path) -> None:
    # The outside directory holds the very file (a hard link): only the directory's
    # identity tells the places apart.
    target = write(tmp_path, "tree/pkg/mod.py", OLD)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.link(target, outside / "mod.py")
    loaded = _read(target)
    _swap_for_link(tmp_path, outside)

    with pytest.raises(WriteError, match="directory replaced"):
        _write(loaded)
    assert (outside / "mod.py").read_text() == OLD


def test_a_file_swapped_for_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    target = write(tmp_path, "tree/mod.py", OLD)
    outside = _outside_twin(tmp_path, target)
    loaded = _read(target)
    target.unlink()
    target.symlink_to(outside / "mod.py")

    with pytest.raises(WriteError, match="file replaced during the run"):
        _write(loaded)
    assert (outside / "mod.py").read_text() == OLD
    assert target.is_symlink()


def test_a_file_of_the_same_size_and_mtime_put_in_its_place_is_not_written(
    tmp_path: Path,
) -> None:
    target = write(tmp_path, "tree/mod.py", OLD)
    loaded = _read(target)
    twin = _outside_twin(tmp_path, target) / "mod.py"
    os.replace(twin, target)

    with pytest.raises(WriteError, match="file replaced during the run"):
        _write(loaded)
    assert target.read_text() == OLD


def test_a_swap_after_the_checks_still_lands_in_the_directory_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The directory is held open from the checks to the rename: a swap in between
    # redirects nothing.
    target = write(tmp_path, "tree/pkg/mod.py", OLD)
    outside = _outside_twin(tmp_path, target)
    loaded = _read(target)
    check = writer._check

    def check_then_swap(*args: object, **kwargs: object) -> os.stat_result:
        current = check(*args, **kwargs)  # type: ignore[arg-type]
        _swap_for_link(tmp_path, outside)
        return current

    monkeypatch.setattr(writer, "_check", check_then_swap)
    _write(loaded)
    assert (outside / "mod.py").read_text() == OLD
    assert (tmp_path / "moved" / "mod.py").read_bytes() == NEW
    assert not list((tmp_path / "moved").glob("*.codemods-tmp"))


def test_a_file_read_through_a_symlink_is_refused(tmp_path: Path) -> None:
    target = write(tmp_path, "tree/mod.py", OLD)
    link = tmp_path / "tree" / "link.py"
    link.symlink_to(target)
    result = load_file(link, "link.py", None)
    assert not isinstance(result, Loaded)
    assert result.error is not None
    assert result.error.message == "is a symbolic link, not followed"


def test_an_unchanged_file_is_written_in_place(tmp_path: Path) -> None:
    target = write(tmp_path, "tree/pkg/mod.py", OLD)
    target.chmod(0o640)
    _write(_read(target))
    assert target.read_bytes() == NEW
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["mod.py"]
